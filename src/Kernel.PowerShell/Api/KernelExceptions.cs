using System;
using System.Collections.Generic;
using System.Net;

namespace Kernel.PowerShell
{
    /// <summary>The Kernel API answered with an error status.</summary>
    public sealed class KernelApiException : Exception
    {
        internal KernelApiException(HttpStatusCode statusCode, string method, string path, string? errorCode, string detail, string? requestId, TimeSpan? retryAfter = null, bool? shouldRetry = null)
            : base(FormatMessage(statusCode, errorCode, detail))
        {
            StatusCode = statusCode;
            Method = method;
            Path = path;
            ErrorCode = errorCode;
            RequestId = requestId;
            RetryAfter = retryAfter;
            ShouldRetry = shouldRetry;
        }

        public HttpStatusCode StatusCode { get; }

        public string Method { get; }

        public string Path { get; }

        /// <summary>Kernel's <c>code</c> from the error body, such as <c>unauthorized</c> or <c>not_found</c>.</summary>
        public string? ErrorCode { get; }

        /// <summary>The server's request id, when it sent one: quote it when reporting a problem to Kernel.</summary>
        public string? RequestId { get; }

        /// <summary>How long the server asked to wait before trying again (Retry-After or retry-after-ms).</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>The error body's details[], each as "code: message" (also in the message).</summary>
        public IReadOnlyList<string> Details { get; internal set; } = Array.Empty<string>();

        /// <summary>The error body's inner_error as "code: message", when it sent one (also in the message).</summary>
        public string? InnerError { get; internal set; }

        /// <summary>The server's x-should-retry answer, when it sent one.</summary>
        internal bool? ShouldRetry { get; }

        private static string FormatMessage(HttpStatusCode status, string? code, string detail)
        {
            var what = code == null ? detail : (string.IsNullOrEmpty(detail) ? code : code + ": " + detail);
            return $"Kernel API error {(int)status} ({status}): {what}";
        }
    }

    /// <summary>The API could not be reached, or the connection broke before an answer came.</summary>
    public sealed class KernelConnectionException : Exception
    {
        internal KernelConnectionException(string message, Exception? inner, bool beforeSending = false)
            : base(message, inner)
        {
            BeforeSending = beforeSending;
        }

        /// <summary>True when the request cannot have reached the server (no connection was made), so sending it again is safe.</summary>
        public bool BeforeSending { get; }
    }

    /// <summary>
    /// A proxy between here and the API answered 407 Proxy Authentication Required: it wants credentials it did not
    /// get, or refused the ones it got. Trying again cannot help until the credentials change.
    /// </summary>
    public sealed class KernelProxyAuthenticationException : Exception
    {
        internal KernelProxyAuthenticationException(Uri? proxy, string credentialsOffered, bool credentialsGiven, Exception? inner = null)
            : base($"The proxy {(proxy == null ? "between here and the Kernel API" : proxy.ToString())} answered 407 Proxy Authentication Required: {(credentialsGiven ? $"it refused {credentialsOffered}" : "it wants credentials, and none were given")}.", inner)
        {
            Proxy = proxy;
            CredentialsGiven = credentialsGiven;
        }

        /// <summary>The proxy that asked, when known.</summary>
        public Uri? Proxy { get; }

        /// <summary>True when credentials were offered and refused; false when none were given.</summary>
        public bool CredentialsGiven { get; }
    }

    /// <summary>The API sent something this module cannot read (not JSON, missing fields, an unexpected shape).</summary>
    public sealed class KernelProtocolException : Exception
    {
        internal KernelProtocolException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>
    /// Creating a deployment failed in a way that left its fate to be checked, and it was checked: nothing was
    /// created (<see cref="Certain"/>), or the check itself failed.
    /// </summary>
    public sealed class DeploymentNotCreatedException : Exception
    {
        internal DeploymentNotCreatedException(string message, Exception inner, bool certain = true)
            : base(message, inner)
        {
            Certain = certain;
        }

        /// <summary>True when the server was asked and has no such deployment.</summary>
        public bool Certain { get; }
    }

    /// <summary>
    /// The object a command named does not exist: the API answered 404 for an id, or no object has the name.
    /// </summary>
    public sealed class KernelObjectNotFoundException : Exception
    {
        internal KernelObjectNotFoundException(string noun, string reference, bool byName, Exception? inner = null, string? message = null)
            : base(message ?? (byName ? $"No {noun} is named '{reference}'." : $"{Capitalized(noun)} '{reference}' was not found."), inner)
        {
            Noun = noun;
            Reference = reference;
            ByName = byName;
        }

        /// <summary>What was looked for: browser, profile, proxy …</summary>
        public string Noun { get; }

        /// <summary>The id or name as the command was given it.</summary>
        public string Reference { get; }

        /// <summary>True when a name matched nothing (no request for it answered 404).</summary>
        public bool ByName { get; }

        internal static string Capitalized(string noun) => noun.Length == 0 ? noun : char.ToUpperInvariant(noun[0]) + noun.Substring(1);
    }

    /// <summary>A name meant to pick one object is shared by several: the command refuses to guess.</summary>
    public sealed class KernelAmbiguousNameException : Exception
    {
        internal KernelAmbiguousNameException(string plural, string name, System.Collections.Generic.IReadOnlyList<string> ids)
            : base($"{ids.Count} {plural} are named '{name}' ({string.Join(", ", ids)}): give the id instead, or pipe the one you mean.")
        {
            Name = name;
            Ids = ids;
        }

        public string Name { get; }

        /// <summary>The ids of the objects that share the name.</summary>
        public System.Collections.Generic.IReadOnlyList<string> Ids { get; }
    }

    /// <summary>A download the API kept answering 202 (not ready yet) for, until the wait's limit.</summary>
    public sealed class KernelNotReadyException : Exception
    {
        internal KernelNotReadyException(string message)
            : base(message)
        {
        }
    }
}

