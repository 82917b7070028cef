using System;

namespace Kernel.PowerShell
{
    /// <summary>One line of an app's build, boot or runtime log.</summary>
    public sealed class KernelLogEntry
    {
        internal KernelLogEntry(string deploymentId, DateTimeOffset timestamp, string message)
        {
            DeploymentId = deploymentId;
            Timestamp = timestamp;
            Message = message;
        }

        public string DeploymentId { get; }

        public DateTimeOffset Timestamp { get; }

        public string Message { get; }

        public override string ToString() => Message;
    }
}
