using System.Collections.Generic;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// The API's JSON (kernel-api.md §3, §5–8) read into our types and written from them. Implemented in
    /// Kernel.PowerShell.Json, the one assembly that uses System.Text.Json; <see cref="WireFormat"/> loads it.
    /// </summary>
    internal interface IWireFormat
    {
        KernelDeployment ParseDeployment(string json);

        KernelInvocation ParseInvocation(string json);

        /// <summary>The id of the invocation <c>POST /invocations</c> answered with, or null if it has none.</summary>
        string? ParseInvocationId(string json);

        /// <summary>One object of a resource (a browser, profile, proxy, replay): <typeparamref name="T"/> is its model type.</summary>
        T ParseResource<T>(string json)
            where T : class;

        /// <summary>A list of a resource's objects: a bare JSON array, or the array under <paramref name="member"/> (<c>{"browsers": […]}</c>).</summary>
        IReadOnlyList<T> ParseResources<T>(string json, string what, string? member = null)
            where T : class;

        /// <param name="ownerId">The deployment or invocation the stream belongs to.</param>
        KernelEvent ParseEvent(string ownerId, string data);

        /// <summary>Kernel's error body <c>{code, message}</c>; null when the body is something else.</summary>
        ApiErrorBody? TryParseError(string body);

        /// <summary>A -Payload (or another <paramref name="parameter"/>) as JSON text (a string must already be JSON); null for none.</summary>
        /// <exception cref="System.FormatException">The payload is a string that is not JSON, or nested too deep.</exception>
        string? PayloadJson(object? payload, string parameter = "-Payload");

        /// <summary>A request body: the fields in order, those whose value is null left out.</summary>
        string BodyJson(IEnumerable<KeyValuePair<string, object?>> fields);

        string GitHubSourceJson(GitHubSource source);

        /// <summary>
        /// Any JSON as plain values: objects become ordered dictionaries, arrays object[], numbers long or double.
        /// <paramref name="what"/> names the document in the error when it is not JSON.
        /// </summary>
        object? ParseValue(string json, string what);
    }
}
