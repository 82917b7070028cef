using System;
using System.Collections.Generic;
using System.Linq;

namespace Kernel.PowerShell.Api
{
    /// <summary>Kernel's error body (kernel-api.md §3): code and message, and the optional details[] and inner_error.</summary>
    internal sealed class ApiErrorBody
    {
        public ApiErrorBody(string code, string message, IReadOnlyList<ApiErrorBody>? details = null, ApiErrorBody? innerError = null)
        {
            Code = code;
            Message = message;
            Details = details ?? Array.Empty<ApiErrorBody>();
            InnerError = innerError;
        }

        public string Code { get; }

        public string Message { get; }

        /// <summary>Lower-level errors, such as which field was invalid.</summary>
        public IReadOnlyList<ApiErrorBody> Details { get; }

        public ApiErrorBody? InnerError { get; }

        /// <summary>The message, then its details and inner error, on one line.</summary>
        public string Explained()
        {
            var parts = new List<string>();
            if (Details.Count > 0)
            {
                parts.Add("details: " + string.Join("; ", Details.Select(d => d.ToString())));
            }

            if (InnerError != null)
            {
                parts.Add("inner error: " + InnerError);
            }

            return parts.Count == 0 ? Message : $"{Message} ({string.Join("; ", parts)})";
        }

        public override string ToString()
        {
            var message = Explained();
            return string.IsNullOrEmpty(Code) ? message : string.IsNullOrEmpty(message) ? Code : Code + ": " + message;
        }
    }

    internal static class KernelRegions
    {
        public const string Default = "aws.us-east-1a";
    }
}
