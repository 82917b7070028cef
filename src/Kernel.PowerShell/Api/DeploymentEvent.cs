using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Kernel.PowerShell.Api
{
    /// <summary>One message of <c>GET /deployments/{id}/events</c>, dispatched on its JSON <c>event</c> field.</summary>
    internal abstract class DeploymentEvent
    {
        public static DeploymentEvent Parse(string deploymentId, string data)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(data);
            }
            catch (JsonException ex)
            {
                throw new KernelProtocolException($"The deployment event stream sent a message that is not JSON: {Excerpt(data)}", ex);
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String)
                {
                    throw new KernelProtocolException($"The deployment event stream sent a message without an 'event' field: {Excerpt(data)}");
                }

                var timestamp = ReadTimestamp(root);
                switch (kind.GetString())
                {
                    case "log":
                        var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
                        return new Log(new KernelLogEntry(deploymentId, timestamp, message.TrimEnd('\r', '\n')));
                    case "deployment_state":
                        if (!root.TryGetProperty("deployment", out var deployment))
                        {
                            throw new KernelProtocolException("The deployment event stream sent a deployment_state event without a deployment.");
                        }

                        return new State(WireFormat.ToDeployment(deployment));
                    case "app_version_summary":
                        return new AppVersionSummary(
                            ReadString(root, "app_name"),
                            ReadString(root, "version"),
                            ReadActionNames(root));
                    case "error":
                        var error = root.TryGetProperty("error", out var e) ? WireFormat.TryReadError(e) : null;
                        return new Error(error ?? new ApiErrorBody("unknown", "the stream reported an error without details"));
                    case "sse_heartbeat":
                        return Heartbeat.Instance;
                    default:
                        return new Unknown(kind.GetString()!);
                }
            }
        }

        private static DateTimeOffset ReadTimestamp(JsonElement root) =>
            root.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String && t.TryGetDateTimeOffset(out var value)
                ? value
                : DateTimeOffset.UtcNow;

        private static string ReadString(JsonElement root, string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

        private static IReadOnlyList<string> ReadActionNames(JsonElement root)
        {
            var names = new List<string>();
            if (root.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
            {
                foreach (var action in actions.EnumerateArray())
                {
                    if (action.ValueKind == JsonValueKind.Object && action.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                    {
                        names.Add(n.GetString()!);
                    }
                }
            }

            return names;
        }

        private static string Excerpt(string data) => data.Length <= 120 ? data : data.Substring(0, 120) + "…";

        internal sealed class Log : DeploymentEvent
        {
            public Log(KernelLogEntry entry) => Entry = entry;

            public KernelLogEntry Entry { get; }
        }

        internal sealed class State : DeploymentEvent
        {
            public State(KernelDeployment deployment) => Deployment = deployment;

            public KernelDeployment Deployment { get; }
        }

        internal sealed class AppVersionSummary : DeploymentEvent
        {
            public AppVersionSummary(string appName, string version, IReadOnlyList<string> actionNames)
            {
                AppName = appName;
                Version = version;
                ActionNames = actionNames;
            }

            public string AppName { get; }

            public string Version { get; }

            public IReadOnlyList<string> ActionNames { get; }
        }

        internal sealed class Error : DeploymentEvent
        {
            public Error(ApiErrorBody body) => Body = body;

            public ApiErrorBody Body { get; }
        }

        internal sealed class Heartbeat : DeploymentEvent
        {
            public static readonly Heartbeat Instance = new Heartbeat();
        }

        internal sealed class Unknown : DeploymentEvent
        {
            public Unknown(string kind) => Kind = kind;

            public string Kind { get; }
        }
    }
}
