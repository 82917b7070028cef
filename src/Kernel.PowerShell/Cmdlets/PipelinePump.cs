using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Receives reports from background work on any thread and replays them on the pipeline thread, where
    /// PowerShell allows Write* calls. Log lines go to the host as Write-Host's do (see
    /// <see cref="KernelCmdlet.WriteHostInformation"/>). Progress is one parent record for the command, whose status
    /// says where it stands (a follow's state and its latest log line), with a child record, with its percentage,
    /// for each step whose size is known (packing, an upload or a download of known length). At most four progress
    /// records a second go out per command; every record opened is closed with a Completed one.
    /// </summary>
    internal sealed class PipelinePump : IOperationObserver, IDisposable
    {
        internal const string LogTag = "KernelLog";
        private const int ParentActivityId = 1;
        private const int LogShownInStatus = 120;
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly KernelCmdlet _cmdlet;
        private readonly string _activity;
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly Throttle _throttle = new Throttle(ProgressInterval);

        // The latest report of each step under way, in the order they started, and the records last written.
        private readonly List<OperationProgress> _steps = new List<OperationProgress>();
        private readonly Dictionary<OperationPhase, string> _childrenWritten = new Dictionary<OperationPhase, string>();
        private string? _parentWritten;
        private string? _lastLog;
        private bool _parentWentLast;
        private bool _held;
        private bool _disposed;

        public PipelinePump(KernelCmdlet cmdlet, string activity)
        {
            _cmdlet = cmdlet;
            _activity = activity;
        }

        public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

        public void Debug(string message) => Post(() => _cmdlet.WriteDebug(message));

        public void Warning(string message) => Post(() => _cmdlet.WriteWarning(message));

        public void Log(KernelLogEntry entry) => Post(() =>
        {
            _cmdlet.WriteHostInformation(entry, LogTag);
            if (entry.Message.Trim().Length > 0)
            {
                _lastLog = entry.Message.Trim();
                WriteProgress();
            }
        });

        public void Progress(OperationProgress progress) => Post(() => Report(progress));

        /// <summary>Queues an object for the output stream; false once the operation is over.</summary>
        public bool Emit(object? item) => Post(() => _cmdlet.WriteObject(item));

        /// <summary>Writes queued reports until the task ends (the task's end closes the queue).</summary>
        public void DrainUntil(Task task)
        {
            task.ContinueWith(_ => Close(), TaskScheduler.Default);
            while (true)
            {
                // A progress change the throttle held back goes out once the interval has passed, even if nothing else comes.
                if (_queue.TryTake(out var write, _held ? (int)ProgressInterval.TotalMilliseconds : Timeout.Infinite))
                {
                    write();
                }
                else if (_queue.IsCompleted)
                {
                    return;
                }
                else
                {
                    WriteProgress();
                }
            }
        }

        /// <summary>Closes every progress record still open, so none lingers after an error or Ctrl+C.</summary>
        public void CompleteProgress()
        {
            foreach (var phase in _childrenWritten.Keys.ToList())
            {
                TryWrite(Completed(phase));
            }

            _childrenWritten.Clear();
            _steps.Clear();
            if (_parentWritten != null)
            {
                TryWrite(new ProgressRecord(ParentActivityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
                _parentWritten = null;
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

        /// <summary>What a step is called: the child's activity, and its part of the parent's status.</summary>
        private static string StepName(OperationPhase phase) => phase switch
        {
            OperationPhase.Compress => "Packing",
            OperationPhase.Upload => "Uploading",
            OperationPhase.Download => "Downloading",
            _ => "Waiting",
        };

        private static int Percent(OperationProgress progress) => (int)Math.Min(100, Math.Max(0, progress.Done * 100 / progress.Total));

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

        private void Report(OperationProgress progress)
        {
            var index = _steps.FindIndex(step => step.Phase == progress.Phase);
            if (progress.Completed)
            {
                if (index >= 0)
                {
                    _steps.RemoveAt(index);
                }

                if (_childrenWritten.Remove(progress.Phase))
                {
                    _cmdlet.WriteProgress(Completed(progress.Phase));
                }

                return;
            }

            if (index >= 0)
            {
                _steps[index] = progress;
            }
            else
            {
                _steps.Add(progress);
            }

            WriteProgress();
        }

        /// <summary>
        /// Writes, if the throttle allows one now, one record that changed: the parent and the children take turns,
        /// the children in the order they last went out. What is held back goes out at the next report, or when
        /// <see cref="DrainUntil"/> has waited an interval for one.
        /// </summary>
        private void WriteProgress()
        {
            var parent = ParentStatus();
            var child = _steps.FirstOrDefault(ChildChanged);
            var parentChanged = parent != null && parent != _parentWritten;
            _held = parentChanged || child != null;
            if (!_held || !_throttle.ShouldReport())
            {
                return;
            }

            if (parentChanged && (child == null || !_parentWentLast))
            {
                _cmdlet.WriteProgress(new ProgressRecord(ParentActivityId, _activity, parent));
                _parentWritten = parent;
                _parentWentLast = true;
                _held = child != null;
                return;
            }

            var status = ChildStatus(child!);
            _cmdlet.WriteProgress(new ProgressRecord(ActivityId(child!.Phase), StepName(child.Phase), status)
            {
                ParentActivityId = ParentActivityId,
                PercentComplete = Percent(child),
            });
            _childrenWritten[child.Phase] = status;
            _parentWentLast = false;
            _held = parentChanged || _steps.Any(ChildChanged);

            // The child that just went out goes to the back of the queue.
            _steps.Remove(child);
            _steps.Add(child);
        }

        /// <summary>
        /// Where the command stands: a follow's state with the latest log line, or the steps under way with what is
        /// known of those without a size ("Uploading: 3.1 MB sent"). Null before any step was reported.
        /// </summary>
        private string? ParentStatus()
        {
            if (_steps.Count == 0)
            {
                return _parentWritten;
            }

            if (_steps.FirstOrDefault(step => step.Phase == OperationPhase.Wait) is { } wait)
            {
                return _lastLog == null ? wait.Status : $"{wait.Status} · {Shorten(_lastLog)}";
            }

            var ordered = _steps.OrderBy(step => step.Phase).ToList();
            var names = string.Join(" and ", ordered.Select((step, i) => i == 0 ? StepName(step.Phase) : StepName(step.Phase).ToLowerInvariant()));
            var unsized = ordered.Where(step => step.Total <= 0).Select(step => step.Status).ToList();
            return unsized.Count == 0 ? names : $"{names}: {string.Join(", ", unsized)}";
        }

        /// <summary>A step of known size whose child record has not shown its latest report yet.</summary>
        private bool ChildChanged(OperationProgress step) =>
            step.Total > 0 && (!_childrenWritten.TryGetValue(step.Phase, out var written) || written != ChildStatus(step));

        private static string ChildStatus(OperationProgress step) =>
            Percent(step).ToString(CultureInfo.InvariantCulture) + "% · " + step.Status;

        private static string Shorten(string line) => line.Length <= LogShownInStatus ? line : line.Substring(0, LogShownInStatus - 1) + "…";

        private ProgressRecord Completed(OperationPhase phase) =>
            new ProgressRecord(ActivityId(phase), StepName(phase), "Done") { ParentActivityId = ParentActivityId, RecordType = ProgressRecordType.Completed };

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
