namespace Kernel.PowerShell.Diagnostics
{
    /// <summary>
    /// How the core (API client, packager) reports what it is doing without knowing about PowerShell.
    /// Implementations must be safe to call from any thread; the cmdlet layer queues the messages and
    /// writes them on the pipeline thread.
    /// </summary>
    internal interface IOperationObserver
    {
        void Verbose(string message);

        void Debug(string message);

        void Warning(string message);

        /// <summary>A line of the app's own log (build, boot or runtime output).</summary>
        void Log(KernelLogEntry entry);

        void Progress(OperationProgress progress);
    }

    internal enum OperationPhase
    {
        Compress,
        Upload,
        Wait,
        Download,
    }

    internal sealed class OperationProgress
    {
        public OperationProgress(OperationPhase phase, long done, long total, string status, bool completed = false)
        {
            Phase = phase;
            Done = done;
            Total = total;
            Status = status;
            Completed = completed;
        }

        public OperationPhase Phase { get; }

        public long Done { get; }

        /// <summary>Zero or less when the total is not known.</summary>
        public long Total { get; }

        public string Status { get; }

        public bool Completed { get; }
    }

    internal sealed class NullObserver : IOperationObserver
    {
        public static readonly NullObserver Instance = new NullObserver();

        public void Verbose(string message) { }

        public void Debug(string message) { }

        public void Warning(string message) { }

        public void Log(KernelLogEntry entry) { }

        public void Progress(OperationProgress progress) { }
    }
}
