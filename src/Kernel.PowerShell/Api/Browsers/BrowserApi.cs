using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Browsers (kernel-browsers.md): addressed by id or name; names are searched with <c>query</c>.</summary>
    internal static class BrowserApi
    {
        public static readonly ApiResource<KernelBrowser> Resource =
            new ApiResource<KernelBrowser>("browsers", "browser", "browsers", b => b.Id, b => b.Name, namesInPath: true, nameQuery: "query");
    }

    /// <summary>
    /// What a new browser is made with, as New-KernelBrowser takes it (and what a browser pool's browsers are
    /// made with). Null leaves a setting to Kernel's default.
    /// </summary>
    internal sealed class BrowserSettings
    {
        public bool? Headless { get; set; }

        public bool? Stealth { get; set; }

        public int? TimeoutSeconds { get; set; }

        public string? ProfileId { get; set; }

        /// <summary>Write what the session changes back to the profile when it ends (the API's default is not to).</summary>
        public bool SaveProfileChanges { get; set; }

        public string? ProxyId { get; set; }

        /// <summary>The extensions to load, in order (resolved to ids).</summary>
        public IReadOnlyList<string>? ExtensionIds { get; set; }

        public KernelBrowserViewport? Viewport { get; set; }

        public bool? KioskMode { get; set; }

        public string? StartUrl { get; set; }

        /// <summary>The request body's fields for these settings.</summary>
        public IEnumerable<KeyValuePair<string, object?>> Fields()
        {
            yield return Field("headless", Headless);
            yield return Field("stealth", Stealth);
            yield return Field("timeout_seconds", TimeoutSeconds);
            yield return Field("profile", ProfileId == null ? null : ProfileField(ProfileId, SaveProfileChanges));
            yield return Field("proxy_id", ProxyId);
            yield return Field("extensions", ExtensionIds == null ? null : ExtensionsField(ExtensionIds));
            yield return Field("viewport", Viewport == null ? null : ViewportField(Viewport));
            yield return Field("kiosk_mode", KioskMode);
            yield return Field("start_url", StartUrl);
        }

        internal static KeyValuePair<string, object?> Field(string name, object? value) => new KeyValuePair<string, object?>(name, value);

        internal static OrderedDictionary ProfileField(string profileId, bool saveChanges)
        {
            var profile = new OrderedDictionary { ["id"] = profileId };
            if (saveChanges)
            {
                profile["save_changes"] = true;
            }

            return profile;
        }

        /// <summary>The API's extension selectors: <c>[{"id": …}, …]</c>.</summary>
        internal static OrderedDictionary[] ExtensionsField(IEnumerable<string> extensionIds) =>
            extensionIds.Select(id => new OrderedDictionary { ["id"] = id }).ToArray();

        internal static OrderedDictionary ViewportField(KernelBrowserViewport viewport)
        {
            var fields = new OrderedDictionary { ["width"] = viewport.Width, ["height"] = viewport.Height };
            if (viewport.RefreshRate is { } rate)
            {
                fields["refresh_rate"] = rate;
            }

            return fields;
        }
    }

    /// <summary>The browsers an invocation created (kernel-api.md §8).</summary>
    internal sealed partial class KernelApiClient
    {
        public async Task<IReadOnlyList<KernelBrowser>> ListInvocationBrowsersAsync(string invocationId, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.Current.ParseResources<KernelBrowser>(
                await SendAboutAsync("invocation", invocationId, HttpMethod.Get, "invocations/" + System.Uri.EscapeDataString(invocationId) + "/browsers", null, observer, cancellationToken).ConfigureAwait(false),
                "invocation browser",
                "browsers");
    }
}
