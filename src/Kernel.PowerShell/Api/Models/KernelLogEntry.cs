using System;
using System.Collections;

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

        /// <summary>
        /// Builds a log line from a hashtable, for tests and mocks: <c>[KernelLogEntry]@{ Message = 'ok' }</c>.
        /// Every property is optional: Message defaults to "", Timestamp to now.
        /// </summary>
        public KernelLogEntry(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelLogEntry));
            DeploymentId = given.Optional(nameof(DeploymentId), string.Empty);
            Timestamp = given.Optional(nameof(Timestamp), DateTimeOffset.UtcNow);
            Message = given.Optional(nameof(Message), string.Empty);
            given.RequireNoOthers();
        }

        public string DeploymentId { get; }

        public DateTimeOffset Timestamp { get; }

        public string Message { get; }

        public override string ToString() => Message;
    }
}
