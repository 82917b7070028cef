using System;
using System.Text.Json;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// One message of a deployment or invocation event stream (kernel-api.md §5), dispatched on its JSON
    /// <c>event</c> field. Unknown kinds are kept as <see cref="Unknown"/>, never an error.
    /// </summary>
    internal abstract class KernelEvent
    {
        /// <param name="ownerId">The deployment or invocation the stream belongs to.</param>
        public static KernelEvent Parse(string ownerId, string data)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(data);
            }
            catch (JsonException ex)
            {
                throw new KernelProtocolException($"The event stream of {ownerId} sent a message that is not JSON: {Excerpt(data)}", ex);
            }

            using (doc)
            {
                var root = doc.RootElement;
                var kind = root.ValueKind == JsonValueKind.Object ? WireFormat.String(root, "event") : null;
                if (kind == null)
                {
                    throw new KernelProtocolException($"The event stream of {ownerId} sent a message without an 'event' field: {Excerpt(data)}");
                }

                var timestamp = root.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out var value)
                    ? value
                    : DateTimeOffset.UtcNow;
                switch (kind)
                {
                    case "log":
                        var message = WireFormat.String(root, "message") ?? string.Empty;
                        return new Log(new KernelLogEntry(ownerId, timestamp, message.TrimEnd('\r', '\n')));
                    case "deployment_state":
                        return new DeploymentState(WireFormat.ToDeployment(Member(root, "deployment", ownerId)));
                    case "invocation_state":
                        return new InvocationState(WireFormat.ToInvocation(Member(root, "invocation", ownerId)));
                    case "app_version_summary":
                        return new AppVersionSummary(WireFormat.ToApp(root, ownerId));
                    case "error":
                        var error = root.TryGetProperty("error", out var e) ? WireFormat.TryReadError(e) : null;
                        return new Error(error ?? new ApiErrorBody("unknown", "the stream reported an error without details"));
                    case "sse_heartbeat":
                        return Heartbeat.Instance;
                    default:
                        return new Unknown(kind);
                }
            }
        }

        private static JsonElement Member(JsonElement root, string name, string ownerId) =>
            root.TryGetProperty(name, out var member)
                ? member
                : throw new KernelProtocolException($"The event stream of {ownerId} sent a state event without '{name}'.");

        private static string Excerpt(string data) => data.Length <= 120 ? data : data.Substring(0, 120) + "…";

        internal sealed class Log : KernelEvent
        {
            public Log(KernelLogEntry entry) => Entry = entry;

            public KernelLogEntry Entry { get; }
        }

        internal sealed class DeploymentState : KernelEvent
        {
            public DeploymentState(KernelDeployment deployment) => Deployment = deployment;

            public KernelDeployment Deployment { get; }
        }

        internal sealed class InvocationState : KernelEvent
        {
            public InvocationState(KernelInvocation invocation) => Invocation = invocation;

            public KernelInvocation Invocation { get; }
        }

        internal sealed class AppVersionSummary : KernelEvent
        {
            public AppVersionSummary(KernelApp app) => App = app;

            public KernelApp App { get; }
        }

        internal sealed class Error : KernelEvent
        {
            public Error(ApiErrorBody body) => Body = body;

            public ApiErrorBody Body { get; }
        }

        internal sealed class Heartbeat : KernelEvent
        {
            public static readonly Heartbeat Instance = new Heartbeat();
        }

        internal sealed class Unknown : KernelEvent
        {
            public Unknown(string kind) => Kind = kind;

            public string Kind { get; }
        }
    }
}
