using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Follows an event stream to its end, whatever the network does: a broken or silent stream is opened again
    /// from the last event seen (<c>since</c>), and log lines at the seam are not repeated. A stream the server
    /// ends early is handed to <c>streamEnded</c>, which says whether the subject is done.
    /// </summary>
    internal sealed class EventFollower
    {
        private const int MaxConsecutiveFailures = 3;
        private readonly HashSet<string> _seam = new HashSet<string>(StringComparer.Ordinal);
        private DateTimeOffset? _lastLogAt;

        /// <summary>Log lines seen, oldest first, at most <see cref="RecentLogLines"/>.</summary>
        public Queue<KernelLogEntry> RecentLog { get; } = new Queue<KernelLogEntry>();

        public int RecentLogLines { get; set; } = 10;

        /// <param name="open">Opens the stream from a <c>since</c> value and feeds it to the handler; true when the handler stopped it.</param>
        /// <param name="onEvent">Gets every event but log lines already seen; returns false to stop.</param>
        /// <param name="streamEnded">Called when the server ended the stream; returns true when following is over.</param>
        public async Task RunAsync(
            Func<string?, Func<KernelEvent, bool>, Task<bool>> open,
            Func<KernelEvent, bool> onEvent,
            Func<Task<bool>> streamEnded,
            string what,
            IOperationObserver observer,
            CancellationToken cancellationToken)
        {
            var failures = 0;
            while (true)
            {
                bool stopped;
                try
                {
                    stopped = await open(Since(), e => !IsRepeat(e) && onEvent(e)).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception ex) when ((ex is KernelConnectionException || ex is TimeoutException) && ++failures < MaxConsecutiveFailures && !cancellationToken.IsCancellationRequested)
                {
                    observer.Verbose($"The event stream of {what} broke ({ex.Message}); reconnecting.");
                    continue;
                }

                if (stopped || await streamEnded().ConfigureAwait(false))
                {
                    return;
                }

                observer.Verbose($"The event stream of {what} closed early; following it again.");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }

        private string? Since() =>
            _lastLogAt?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        private bool IsRepeat(KernelEvent e)
        {
            if (!(e is KernelEvent.Log log))
            {
                return false;
            }

            var entry = log.Entry;
            if (_lastLogAt.HasValue && entry.Timestamp < _lastLogAt.Value)
            {
                return true;
            }

            if (_lastLogAt != entry.Timestamp)
            {
                _seam.Clear();
                _lastLogAt = entry.Timestamp;
            }

            if (!_seam.Add(entry.Message))
            {
                return true;
            }

            RecentLog.Enqueue(entry);
            if (RecentLog.Count > RecentLogLines)
            {
                RecentLog.Dequeue();
            }

            return false;
        }
    }
}
