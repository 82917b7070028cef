using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Renders requests and responses for the Debug stream. Header values and query values are shown only when
    /// they are on an allow-list; everything else reads REDACTED, so new secret-bearing headers stay hidden.
    /// Bodies are never rendered.
    /// </summary>
    internal static class HttpLogFormatter
    {
        internal const string Redacted = "REDACTED";

        private static readonly HashSet<string> SafeHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Accept", "Content-Type", "Content-Length", "User-Agent", "Date", "Retry-After", "retry-after-ms",
            "x-should-retry", "X-Kernel-Project-Id", "X-Kernel-Project", "X-Request-Id", "Request-Id", "X-Has-More", "X-Next-Offset",
            "X-Limit", "X-Offset", "X-SSE-Content-Type", "Transfer-Encoding", "Cache-Control", "Connection", "X-Retry-Count",
        };

        private static readonly HashSet<string> SafeQueryParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "since", "limit", "offset", "app_name", "app_version", "version", "query", "status", "action_name", "deployment_id",
            "name", "include_deleted", "format",
        };

        public static string FormatRequest(HttpRequestMessage request)
        {
            var text = new StringBuilder();
            text.Append("HTTP ").Append(request.Method.Method).Append(' ').Append(RedactUri(request.RequestUri!));
            AppendHeaders(text, request.Headers);
            if (request.Content != null)
            {
                AppendHeaders(text, request.Content.Headers);
            }

            return text.ToString();
        }

        public static string FormatResponse(HttpResponseMessage response, TimeSpan elapsed)
        {
            var text = new StringBuilder();
            text.Append("HTTP ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase)
                .Append(" in ").Append((long)elapsed.TotalMilliseconds).Append(" ms");
            AppendHeaders(text, response.Headers);
            AppendHeaders(text, response.Content.Headers);
            return text.ToString();
        }

        internal static string RedactUri(Uri uri)
        {
            var query = uri.Query;
            if (string.IsNullOrEmpty(query) || query == "?")
            {
                return uri.GetLeftPart(UriPartial.Path);
            }

            var parts = query.TrimStart('?').Split('&').Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair.Substring(0, eq));
                return eq < 0 || SafeQueryParameters.Contains(name) ? pair : pair.Substring(0, eq) + "=" + Redacted;
            });
            return uri.GetLeftPart(UriPartial.Path) + "?" + string.Join("&", parts);
        }

        private static void AppendHeaders(StringBuilder text, HttpHeaders headers)
        {
            foreach (var header in headers)
            {
                var value = SafeHeaders.Contains(header.Key) ? string.Join(", ", header.Value) : Redacted;
                text.Append("\n  ").Append(header.Key).Append(": ").Append(value);
            }
        }
    }
}
