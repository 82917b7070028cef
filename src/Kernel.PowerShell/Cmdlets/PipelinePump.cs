using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Receives reports from background work on any thread and replays them on the pipeline thread, where
    /// PowerShell allows Write* calls. Progress is throttled to four records a second per cmdlet; a
    /// phase's Completed record always goes out.
    /// </summary>
    internal sealed class PipelinePump : IOperationObserver, IDisposable
    {
        internal const string LogTag = "KernelLog";
        internal const string InformationTag = "Kernel";
        private const int ParentActivityId = 1;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly KernelCmdlet _cmdlet;
        private readonly string _activity;
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly Throttle _throttle = new Throttle(ProgressInterval);
        private readonly HashSet<OperationPhase> _openPhases = new HashSet<OperationPhase>();
        private bool _parentOpen;
        private bool _disposed;

        public PipelinePump(KernelCmdlet cmdlet, string activity)
        {
            _cmdlet = cmdlet;
            _activity = activity;
        }

        public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

        public void Debug(string message) => Post(() => _cmdlet.WriteDebug(message));

        public void Warning(string message) => Post(() => _cmdlet.WriteWarning(message));

        public void Log(KernelLogEntry entry) => Post(() => _cmdlet.WriteInformation(entry, new[] { LogTag }));

        public void Information(string message) => Post(() => _cmdlet.WriteInformation(message, new[] { InformationTag }));

        public void Progress(OperationProgress progress) => Post(() => WriteProgress(progress));

        /// <summary>Queues an object for the output stream; false once the operation is over.</summary>
        public bool Emit(object? item) => Post(() => _cmdlet.WriteObject(item));

        /// <summary>Writes queued reports until the task ends (the task's end closes the queue).</summary>
        public void DrainUntil(Task task)
        {
            task.ContinueWith(_ => Close(), TaskScheduler.Default);
            foreach (var write in _queue.GetConsumingEnumerable())
            {
                write();
            }
        }

        /// <summary>Closes every progress bar still open, so none lingers after an error or Ctrl+C.</summary>
        public void CompleteProgress()
        {
            foreach (var phase in _openPhases)
            {
                TryWrite(new ProgressRecord(ActivityId(phase), PhaseActivity(phase), "Done") { ParentActivityId = ParentActivityId, RecordType = ProgressRecordType.Completed });
            }

            _openPhases.Clear();
            if (_parentOpen)
            {
                TryWrite(new ProgressRecord(ParentActivityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
                _parentOpen = false;
            }
        }

        /// <summary>Takes no more reports: a late one, or an emit, is refused from now on.</summary>
        public void Close()
        {
            lock (_queue)
            {
                if (!_disposed)
                {
                    _queue.CompleteAdding();
                }
            }
        }

        public void Dispose()
        {
            lock (_queue)
            {
                _disposed = true;
                _queue.Dispose();
            }
        }

        private static int ActivityId(OperationPhase phase) => ParentActivityId + 1 + (int)phase;

        private static string PhaseActivity(OperationPhase phase) => phase switch
        {
            OperationPhase.Compress => "Compressing",
            OperationPhase.Upload => "Uploading",
            OperationPhase.Download => "Downloading",
            _ => "Waiting",
        };

        private bool Post(Action write)
        {
            try
            {
                _queue.Add(write);
                return true;
            }
            catch (InvalidOperationException)
            {
                // The operation already ended; a late report has nowhere to go.
                return false;
            }
        }

        private void WriteProgress(OperationProgress progress)
        {
            if (progress.Completed)
            {
                if (_openPhases.Remove(progress.Phase))
                {
                    _cmdlet.WriteProgress(new ProgressRecord(ActivityId(progress.Phase), PhaseActivity(progress.Phase), progress.Status)
                    {
                        ParentActivityId = ParentActivityId,
                        RecordType = ProgressRecordType.Completed,
                    });
                }

                return;
            }

            if (!_throttle.ShouldReport())
            {
                return;
            }

            if (!_parentOpen)
            {
                _cmdlet.WriteProgress(new ProgressRecord(ParentActivityId, _activity, "Working"));
                _parentOpen = true;
            }

            var record = new ProgressRecord(ActivityId(progress.Phase), PhaseActivity(progress.Phase), progress.Status) { ParentActivityId = ParentActivityId };
            if (progress.Total > 0)
            {
                record.PercentComplete = (int)Math.Min(100, progress.Done * 100 / progress.Total);
            }

            _openPhases.Add(progress.Phase);
            _cmdlet.WriteProgress(record);
        }

        private void TryWrite(ProgressRecord record)
        {
            try
            {
                _cmdlet.WriteProgress(record);
            }
            catch (PipelineStoppedException)
            {
            }
            catch (InvalidOperationException)
            {
                // Not on the pipeline thread any more (the pipeline is being torn down).
            }
        }
    }
}
