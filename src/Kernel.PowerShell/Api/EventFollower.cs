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
    /// from the last event seen (<c>since</c>), and log lines at the seam are not repeated; after three breaks
    /// in a row it falls back to polling the state. A stream the server ends early is handed to
    /// <c>streamEnded</c>, which looks the state up and says whether the subject is done. Transient answers
    /// (5xx, 429, 408, a dropped connection, a timeout) never end a follow: waiting is safe to repeat, so it
    /// backs off and tries again until the caller's token (the wait's -Timeout, or Ctrl+C) ends it.
    /// </summary>
    internal sealed class EventFollower
    {
        private const int MaxConsecutiveFailures = 3;
        private const int MaxBackoffStep = 4;
        private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
        private readonly HashSet<string> _seam = new HashSet<string>(StringComparer.Ordinal);
        private readonly RetryPolicy _backoff;
        private DateTimeOffset? _lastLogAt;

        public EventFollower(RetryPolicy? backoff = null)
        {
            _backoff = backoff ?? new RetryPolicy(0);
        }

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
                    stopped = await open(Since(), e => IsRepeat(e) || onEvent(e)).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception ex) when (RetryPolicy.IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
                {
                    if (++failures < MaxConsecutiveFailures)
                    {
                        var delay = _backoff.Delay(failures - 1, ex);
                        observer.Verbose($"The event stream of {what} broke ({ex.Message}); reconnecting in {delay.TotalSeconds:0.0} s.");
                        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    observer.Warning($"The event stream of {what} broke {failures} times in a row ({ex.Message}); following it by polling instead, without its logs.");
                    await PollAsync(() => RideOutAsync(streamEnded, what, observer, cancellationToken), cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (stopped || await RideOutAsync(streamEnded, what, observer, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                observer.Verbose($"The event stream of {what} closed early; following it again.");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Asks for the state until it settles.</summary>
        private static async Task PollAsync(Func<Task<bool>> settled, CancellationToken cancellationToken)
        {
            while (!await settled().ConfigureAwait(false))
            {
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>A state lookup that outlasts transient failures (after the client's own retries), backing off until the token ends it.</summary>
        private async Task<T> RideOutAsync<T>(Func<Task<T>> lookup, string what, IOperationObserver observer, CancellationToken cancellationToken)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await lookup().ConfigureAwait(false);
                }
                catch (Exception ex) when (RetryPolicy.IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
                {
                    var delay = _backoff.Delay(Math.Min(attempt, MaxBackoffStep), ex);
                    observer.Verbose($"Looking up {what} failed ({ex.Message}); still waiting, trying again in {delay.TotalSeconds:0.0} s.");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
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
