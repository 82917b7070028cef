using System.Collections.Generic;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Json
{
    /// <summary>The wire format on System.Text.Json; created by Kernel.PowerShell's WireFormat, by reflection.</summary>
    internal sealed class SystemTextJsonWireFormat : IWireFormat
    {
        public KernelDeployment ParseDeployment(string json) => WireFormatReader.ParseDeployment(json);

        public KernelInvocation ParseInvocation(string json) => WireFormatReader.ParseInvocation(json);

        public string? ParseInvocationId(string json) => WireFormatReader.Parse(json, "invocation", e => WireFormatReader.String(e, "id"));

        public T ParseResource<T>(string json)
            where T : class => ResourceReader.Parse<T>(json);

        public IReadOnlyList<T> ParseResources<T>(string json, string what, string? member = null)
            where T : class => ResourceReader.ParseList<T>(json, what, member);

        public KernelEvent ParseEvent(string ownerId, string data) => WireFormatReader.ParseEvent(ownerId, data);

        public ApiErrorBody? TryParseError(string body) => WireFormatReader.TryParseError(body);

        public string? PayloadJson(object? payload, string parameter = "-Payload") => JsonWriting.Payload(payload, parameter);

        public string BodyJson(IEnumerable<KeyValuePair<string, object?>> fields) => JsonWriting.Body(fields);

        public string GitHubSourceJson(GitHubSource source) => JsonWriting.GitHubSource(source);

        public object? ParseValue(string json, string what) => WireFormatReader.Parse(json, what, JsonValues.ToPlain);
    }
}
