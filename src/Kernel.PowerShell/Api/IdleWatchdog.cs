using System;
using System.Threading;

namespace Kernel.PowerShell.Api
{
    /// <summary>A cancellation token that fires after a stretch without <see cref="Kick"/>, or when the caller cancels.</summary>
    internal sealed class IdleWatchdog : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly CancellationToken _caller;
        private readonly TimeSpan _idle;

        public IdleWatchdog(TimeSpan idle, CancellationToken caller)
        {
            _idle = idle;
            _caller = caller;
            _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
            _source.CancelAfter(idle);
        }

        public CancellationToken Token => _source.Token;

        /// <summary>True when the token fired because of silence rather than the caller.</summary>
        public bool TimedOut => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

        public void Kick() => Kick(_idle);

        /// <summary>Restarts the clock with another limit, e.g. the answer's timeout once an upload is sent.</summary>
        public void Kick(TimeSpan limit)
        {
            try
            {
                _source.CancelAfter(limit);
            }
            catch (ObjectDisposedException)
            {
                // A late chunk after the request finished: nothing left to watch.
            }
        }

        public void Dispose() => _source.Dispose();
    }
}
