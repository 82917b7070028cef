using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kernel.PowerShell.Api
{
    /// <summary>The API's JSON shapes (kernel-api.md §3, §5, §6) and their conversion to our public types.</summary>
    internal static class WireFormat
    {
        internal static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = false,
        };

        public static KernelDeployment ParseDeployment(string json) =>
            ToDeployment(Deserialize<DeploymentDto>(json));

        public static KernelDeployment ToDeployment(JsonElement element) =>
            ToDeployment(Deserialize<DeploymentDto>(element.GetRawText()));

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

            string? code = element.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            string? message = element.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return code == null && message == null ? null : new ApiErrorBody(code ?? "unknown", message ?? string.Empty);
        }

        private static T Deserialize<T>(string json)
            where T : class
        {
            T? value;
            try
            {
                value = JsonSerializer.Deserialize<T>(json, Options);
            }
            catch (JsonException ex)
            {
                throw new KernelProtocolException($"The Kernel API sent a {typeof(T).Name.Replace("Dto", string.Empty).ToLowerInvariant()} that is not valid JSON: {ex.Message}", ex);
            }

            return value ?? throw new KernelProtocolException("The Kernel API sent an empty body where an object was expected.");
        }

        private static KernelDeployment ToDeployment(DeploymentDto dto)
        {
            if (string.IsNullOrEmpty(dto.Id) || string.IsNullOrEmpty(dto.Status))
            {
                throw new KernelProtocolException("The Kernel API sent a deployment without an id or status.");
            }

            IReadOnlyDictionary<string, string>? env = dto.EnvVars == null
                ? null
                : new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(dto.EnvVars, StringComparer.Ordinal));

            return new KernelDeployment(
                dto.Id!,
                dto.Status!,
                dto.StatusReason,
                dto.Region ?? KernelRegions.Default,
                dto.EntrypointRelPath,
                env,
                dto.CreatedAt,
                dto.UpdatedAt,
                dto.SourceType,
                dto.SourceChecksum,
                dto.SourceUrl,
                dto.SourceRef,
                dto.SourcePath);
        }

        private sealed class DeploymentDto
        {
            [JsonPropertyName("id")] public string? Id { get; set; }
            [JsonPropertyName("status")] public string? Status { get; set; }
            [JsonPropertyName("status_reason")] public string? StatusReason { get; set; }
            [JsonPropertyName("region")] public string? Region { get; set; }
            [JsonPropertyName("entrypoint_rel_path")] public string? EntrypointRelPath { get; set; }
            [JsonPropertyName("env_vars")] public Dictionary<string, string>? EnvVars { get; set; }
            [JsonPropertyName("created_at")] public DateTimeOffset CreatedAt { get; set; }
            [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; set; }
            [JsonPropertyName("source_type")] public string? SourceType { get; set; }
            [JsonPropertyName("source_checksum")] public string? SourceChecksum { get; set; }
            [JsonPropertyName("source_url")] public string? SourceUrl { get; set; }
            [JsonPropertyName("source_ref")] public string? SourceRef { get; set; }
            [JsonPropertyName("source_path")] public string? SourcePath { get; set; }
        }
    }

    internal sealed class ApiErrorBody
    {
        public ApiErrorBody(string code, string message)
        {
            Code = code;
            Message = message;
        }

        public string Code { get; }

        public string Message { get; }

        public override string ToString() => string.IsNullOrEmpty(Message) ? Code : Code + ": " + Message;
    }

    internal static class KernelRegions
    {
        public const string Default = "aws.us-east-1a";

        /// <summary>Every region the API accepts today (the spec's enum has one value).</summary>
        public static readonly string[] All = { Default };
    }
}
