using System;
using System.Net;

namespace Kernel.PowerShell
{
    /// <summary>The Kernel API answered with an error status.</summary>
    public sealed class KernelApiException : Exception
    {
        internal KernelApiException(HttpStatusCode statusCode, string method, string path, string? errorCode, string detail, string? requestId)
            : base(FormatMessage(statusCode, errorCode, detail))
        {
            StatusCode = statusCode;
            Method = method;
            Path = path;
            ErrorCode = errorCode;
            RequestId = requestId;
        }

        public HttpStatusCode StatusCode { get; }

        public string Method { get; }

        public string Path { get; }

        /// <summary>Kernel's <c>code</c> from the error body, such as <c>unauthorized</c> or <c>not_found</c>.</summary>
        public string? ErrorCode { get; }

        /// <summary>The server's request id, when it sent one: quote it when reporting a problem to Kernel.</summary>
        public string? RequestId { get; }

        private static string FormatMessage(HttpStatusCode status, string? code, string detail)
        {
            var what = code == null ? detail : (string.IsNullOrEmpty(detail) ? code : code + ": " + detail);
            return $"Kernel API error {(int)status} ({status}): {what}";
        }
    }

    /// <summary>The API could not be reached, or the connection broke before an answer came.</summary>
    public sealed class KernelConnectionException : Exception
    {
        internal KernelConnectionException(string message, Exception? inner)
            : base(message, inner)
        {
        }
    }

    /// <summary>The API sent something this module cannot read (not JSON, missing fields, an unexpected shape).</summary>
    public sealed class KernelProtocolException : Exception
    {
        internal KernelProtocolException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }
}
