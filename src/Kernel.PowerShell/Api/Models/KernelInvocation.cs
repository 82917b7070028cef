using System;
using System.Collections;

namespace Kernel.PowerShell
{
    /// <summary>One run of an app action.</summary>
    public sealed class KernelInvocation
    {
        internal KernelInvocation(string id, string appName, string version, string actionName, string status, string? statusReason, string? payload, string? outputJson, object? output, DateTimeOffset? startedAt, DateTimeOffset? finishedAt)
        {
            Id = id;
            AppName = appName;
            Version = version;
            ActionName = actionName;
            Status = status;
            StatusReason = statusReason;
            Payload = payload;
            OutputJson = outputJson;
            Output = output;
            StartedAt = startedAt;
            FinishedAt = finishedAt;
        }

        /// <summary>
        /// Builds an invocation from a hashtable, for tests and mocks: <c>[KernelInvocation]@{ Id = 'x'; Status = 'succeeded' }</c>.
        /// Id is required; Status defaults to queued, Version to latest, StartedAt to now.
        /// </summary>
        public KernelInvocation(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelInvocation));
            Id = given.Required<string>(nameof(Id));
            AppName = given.Optional(nameof(AppName), string.Empty);
            Version = given.Optional(nameof(Version), "latest");
            ActionName = given.Optional(nameof(ActionName), string.Empty);
            Status = given.Optional(nameof(Status), InvocationStatus.Queued);
            StatusReason = given.Optional<string?>(nameof(StatusReason), null);
            Payload = given.Optional<string?>(nameof(Payload), null);
            Output = given.Optional<object?>(nameof(Output), null);
            OutputJson = given.Optional<string?>(nameof(OutputJson), null);
            StartedAt = given.Optional<DateTimeOffset?>(nameof(StartedAt), DateTimeOffset.UtcNow);
            FinishedAt = given.Optional<DateTimeOffset?>(nameof(FinishedAt), null);
            given.RequireNoOthers();
        }

        public string Id { get; }

        public string AppName { get; }

        public string Version { get; }

        public string ActionName { get; }

        /// <summary>queued, running, succeeded or failed.</summary>
        public string Status { get; }

        public string? StatusReason { get; }

        /// <summary>The payload as sent (JSON text).</summary>
        public string? Payload { get; }

        /// <summary>The output as ConvertFrom-Json gives it: PSCustomObjects (nested), arrays and plain values.</summary>
        public object? Output { get; }

        /// <summary>The output as the API returned it (JSON text).</summary>
        public string? OutputJson { get; }

        public DateTimeOffset? StartedAt { get; }

        public DateTimeOffset? FinishedAt { get; }

        public bool IsFinished => Status == InvocationStatus.Succeeded || Status == InvocationStatus.Failed;

        public override string ToString() => Id;
    }

    internal static class InvocationStatus
    {
        public const string Queued = "queued";
        public const string Running = "running";
        public const string Succeeded = "succeeded";
        public const string Failed = "failed";
        public static readonly string[] All = { Queued, Running, Succeeded, Failed };
    }
}
