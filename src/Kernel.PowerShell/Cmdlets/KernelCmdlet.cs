using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of every cmdlet: Ctrl+C cancels a token that reaches every request, copy and delay, and
    /// <see cref="Run{T}"/> is the one place where async work meets the pipeline thread.
    /// </summary>
    public abstract class KernelCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Runs <paramref name="operation"/> off the pipeline thread while this thread writes what it reports
        /// (verbose, debug, warnings, logs, throttled progress). Returns its result or rethrows its exception;
        /// after Ctrl+C it ends the pipeline.
        /// </summary>
        internal T Run<T>(string activity, Func<IOperationObserver, CancellationToken, Task<T>> operation)
        {
            using var pump = new PipelinePump(this, activity);
            var task = Task.Run(() => operation(pump, _stopping.Token), _stopping.Token);
            try
            {
                pump.DrainUntil(task);
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                pump.CompleteProgress();
            }
        }

        /// <summary>
        /// Like <see cref="Run{T}"/> for operations that produce many objects: each one passed to the emit
        /// callback is written to the pipeline as it comes. The callback returns false once the pipeline needs no more.
        /// </summary>
        internal void RunStreaming<T>(string activity, Func<IOperationObserver, Func<T, bool>, CancellationToken, Task> operation)
        {
            using var pump = new PipelinePump(this, activity);
            var task = Task.Run(() => operation(pump, item => pump.Emit(item), _stopping.Token), _stopping.Token);
            try
            {
                pump.DrainUntil(task);
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                pump.CompleteProgress();
            }
        }

        /// <summary>True when Ctrl+C (or Stop) has been requested.</summary>
        internal bool IsStopping => _stopping.IsCancellationRequested;

        /// <summary>Stops the cmdlet unless a time span parameter is positive.</summary>
        internal void RequirePositive(TimeSpan value, string parameter)
        {
            if (value <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, value, $"-{parameter} must be positive, not {value}."));
            }
        }

        /// <summary>
        /// Says something straight to the host, for use while the pipeline stops (StopProcessing), when the
        /// Write* methods are no longer allowed. Silently does nothing on a host without a UI.
        /// </summary>
        internal void TellHost(string message)
        {
            try
            {
                Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception ex) when (ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is InvalidOperationException)
            {
                // A host with no way to show it; nothing else can be done while the pipeline stops.
            }
        }

        /// <summary>Writes a non-terminating error for an exception from the core.</summary>
        internal void WriteFailure(Exception exception, object? target) =>
            WriteError(ErrorCatalog.FromException(exception, target));

        /// <summary>Stops the cmdlet with a terminating error for an exception from the core.</summary>
        internal void ThrowFailure(Exception exception, object? target) =>
            ThrowTerminatingError(ErrorCatalog.FromException(exception, target));
    }
}
