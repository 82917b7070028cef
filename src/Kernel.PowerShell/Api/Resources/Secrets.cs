using System;
using System.Linq;
using System.Net;
using System.Security;

namespace Kernel.PowerShell
{
    /// <summary>
    /// URLs that carry a token (a browser's CDP, WebDriver and live-view URLs, a replay's view URL) are kept as
    /// SecureString, so printing an object, ConvertTo-Json, a transcript or $Error never shows the token. This
    /// shows such a URL with every query value replaced by REDACTED: where it points, never how to get in.
    /// Get the usable URL deliberately: <c>$browser.CdpWsUrl | ConvertFrom-SecureString -AsPlainText</c>.
    /// </summary>
    public static class KernelRedaction
    {
        public const string Redacted = "REDACTED";

        /// <summary>The URL without its secrets: user info dropped, each query value REDACTED; null for none.</summary>
        public static string? Url(SecureString? url)
        {
            if (url == null || url.Length == 0)
            {
                return null;
            }

            var text = new NetworkCredential(string.Empty, url).Password;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                return Redacted;
            }

            var query = uri.Query.TrimStart('?');
            var shown = uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped);
            return query.Length == 0
                ? shown
                : shown + "?" + string.Join("&", query.Split('&').Select(pair => pair.Split('=')[0] + "=" + Redacted));
        }

        /// <summary>Read-only SecureString holding <paramref name="text"/>; null for none.</summary>
        internal static SecureString? Protect(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            var secret = new NetworkCredential(string.Empty, text).SecurePassword;
            secret.MakeReadOnly();
            return secret;
        }
    }
}
