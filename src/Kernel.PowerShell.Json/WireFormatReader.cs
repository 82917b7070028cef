using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text.Json;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Json
{
    /// <summary>The API's JSON shapes (kernel-api.md §3, §5–8) read into our public types, defensively.</summary>
    internal static class WireFormatReader
    {
        private static readonly IReadOnlyDictionary<string, string> NoEnvVars = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

        public static KernelDeployment ParseDeployment(string json) => Parse(json, "deployment", ToDeployment);

        public static KernelInvocation ParseInvocation(string json) => Parse(json, "invocation", ToInvocation);

        public static T Parse<T>(string json, string what, Func<JsonElement, T> convert)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(json);
            }
            catch (JsonException ex)
            {
                throw new KernelProtocolException($"The Kernel API sent a {what} that is not valid JSON: {ex.Message}", ex);
            }

            using (doc)
            {
                return convert(doc.RootElement);
            }
        }

        public static KernelDeployment ToDeployment(JsonElement e)
        {
            RequireObject(e, "deployment");
            var id = RequiredString(e, "id", "deployment");
            return new KernelDeployment(
                id,
                RequiredString(e, "status", "deployment " + id),
                String(e, "status_reason"),
                String(e, "region") ?? KernelRegions.Default,
                String(e, "entrypoint_rel_path"),
                EnvVars(e),
                Time(e, "created_at") ?? DateTimeOffset.MinValue,
                Time(e, "updated_at"),
                String(e, "source_type"),
                String(e, "source_checksum"),
                String(e, "source_url"),
                String(e, "source_ref"),
                String(e, "source_path"));
        }

        /// <summary>An AppVersionSummary (GET /apps); <paramref name="deploymentId"/> fills in for the event form, which lacks it.</summary>
        public static KernelApp ToApp(JsonElement e, string? deploymentId = null)
        {
            RequireObject(e, "app");
            var appName = RequiredString(e, "app_name", "app");
            var version = String(e, "version") ?? "latest";
            var actions = new List<KernelAppAction>();
            if (e.TryGetProperty("actions", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var action in list.EnumerateArray())
                {
                    if (action.ValueKind == JsonValueKind.Object && String(action, "name") is { } name)
                    {
                        actions.Add(new KernelAppAction(appName, version, name, Schema(action, "input_schema"), Schema(action, "output_schema")));
                    }
                }
            }

            return new KernelApp(
                String(e, "id") ?? string.Empty,
                appName,
                version,
                String(e, "region") ?? KernelRegions.Default,
                String(e, "deployment") ?? deploymentId ?? string.Empty,
                actions,
                EnvVars(e));
        }

        public static KernelInvocation ToInvocation(JsonElement e)
        {
            RequireObject(e, "invocation");
            var id = RequiredString(e, "id", "invocation");
            return new KernelInvocation(
                id,
                String(e, "app_name") ?? string.Empty,
                String(e, "version") ?? string.Empty,
                String(e, "action_name") ?? string.Empty,
                RequiredString(e, "status", "invocation " + id),
                String(e, "status_reason"),
                String(e, "payload"),
                String(e, "output"),
                JsonValues.ParseOrNull(String(e, "output")),
                Time(e, "started_at"),
                Time(e, "finished_at"));
        }

        /// <summary>Reads Kernel's error body <c>{code, message}</c>; null when the body is something else.</summary>
        public static ApiErrorBody? TryParseError(string body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(body);
                return TryReadError(doc.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public static ApiErrorBody? TryReadError(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var code = String(element, "code");
            var message = String(element, "message");
            if (code == null && message == null)
            {
                return null;
            }

            var details = new List<ApiErrorBody>();
            if (element.TryGetProperty("details", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in list.EnumerateArray())
                {
                    if (detail.ValueKind == JsonValueKind.Object)
                    {
                        details.Add(new ApiErrorBody(String(detail, "code") ?? string.Empty, String(detail, "message") ?? string.Empty));
                    }
                }
            }

            var inner = element.TryGetProperty("inner_error", out var innerElement) && innerElement.ValueKind == JsonValueKind.Object
                ? new ApiErrorBody(String(innerElement, "code") ?? string.Empty, String(innerElement, "message") ?? string.Empty)
                : null;
            return new ApiErrorBody(code ?? "unknown", message ?? string.Empty, details, inner);
        }

        internal static string? String(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        internal static string RequiredString(JsonElement e, string name, string what) =>
            String(e, name) is { Length: > 0 } value ? value : throw new KernelProtocolException($"The Kernel API sent a {what} without '{name}'.");

        internal static void RequireObject(JsonElement e, string what)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new KernelProtocolException($"The Kernel API sent a {what} that is not a JSON object.");
            }
        }

        internal static DateTimeOffset? Time(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var time) ? time : (DateTimeOffset?)null;

        private static object? Schema(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) ? JsonValues.ToPowerShell(v) : null;

        private static IReadOnlyDictionary<string, string> EnvVars(JsonElement e)
        {
            if (!e.TryGetProperty("env_vars", out var env) || env.ValueKind != JsonValueKind.Object)
            {
                return NoEnvVars;
            }

            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in env.EnumerateObject())
            {
                names[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : string.Empty;
            }

            return new ReadOnlyDictionary<string, string>(names);
        }

        /// <param name="ownerId">The deployment or invocation the stream belongs to.</param>
        public static KernelEvent ParseEvent(string ownerId, string data)
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
                var kind = root.ValueKind == JsonValueKind.Object ? String(root, "event") : null;
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
                        var message = String(root, "message") ?? string.Empty;
                        return new KernelEvent.Log(new KernelLogEntry(ownerId, timestamp, message.TrimEnd('\r', '\n')));
                    case "deployment_state":
                        return new KernelEvent.DeploymentState(ToDeployment(Member(root, "deployment", ownerId)));
                    case "invocation_state":
                        return new KernelEvent.InvocationState(ToInvocation(Member(root, "invocation", ownerId)));
                    case "app_version_summary":
                        return new KernelEvent.AppVersionSummary(ToApp(root, ownerId));
                    case "error":
                        var error = root.TryGetProperty("error", out var e) ? TryReadError(e) : null;
                        return new KernelEvent.Error(error ?? new ApiErrorBody("unknown", "the stream reported an error without details"));
                    case "sse_heartbeat":
                        return KernelEvent.Heartbeat.Instance;
                    default:
                        return new KernelEvent.Unknown(kind);
                }
            }
        }

        private static JsonElement Member(JsonElement root, string name, string ownerId) =>
            root.TryGetProperty(name, out var member)
                ? member
                : throw new KernelProtocolException($"The event stream of {ownerId} sent a state event without '{name}'.");

        private static string Excerpt(string data) => data.Length <= 120 ? data : data.Substring(0, 120) + "…";
    }
}
