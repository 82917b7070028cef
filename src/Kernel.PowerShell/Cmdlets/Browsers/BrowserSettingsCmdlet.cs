using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that describe how a browser is made (New-KernelBrowser, New-KernelBrowserPool for its
    /// browsers): headless or not, stealth, the inactivity timeout, a profile, a proxy, extensions, the viewport,
    /// kiosk mode and a start URL. A profile, proxy or extension given by name or id is looked up when the command
    /// runs: an unknown one is an ObjectNotFound error before anything is created.
    /// </summary>
    public abstract class BrowserSettingsCmdlet : KernelSessionCmdlet
    {
        /// <summary>Start without a display (no live view); faster and cheaper.</summary>
        [Parameter]
        public SwitchParameter Headless { get; set; }

        /// <summary>Reduce bot detection (stealth mode).</summary>
        [Parameter]
        public SwitchParameter Stealth { get; set; }

        /// <summary>How long the session may go without a CDP or live-view connection before Kernel ends it (10 s to 72 h).</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? Timeout { get; set; }

        /// <summary>The profile to load: its name, its id, or a profile object (piped objects bind here).</summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelProfileReference? Profile { get; set; }

        /// <summary>The proxy to route through: its id, its name, or a proxy object (piped objects bind here).</summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelProxyReference? Proxy { get; set; }

        /// <summary>Extensions to load, in order: their names, their ids, or extension objects.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateCount(1, 20)]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelExtensionReference[]? Extension { get; set; }

        /// <summary>The window size: 1920x1080, 1280x800@60, or @{ Width = 1280; Height = 800 }.</summary>
        [Parameter]
        public KernelBrowserViewport? Viewport { get; set; }

        /// <summary>Hide the address bar and tabs in the live view.</summary>
        [Parameter]
        public SwitchParameter Kiosk { get; set; }

        /// <summary>A page to open once the session starts (best effort on Kernel's side).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? StartUrl { get; set; }

        /// <summary>Whether the browser writes what it changes back to its profile when it ends (pooled browsers never do).</summary>
        internal virtual bool SavesProfileChanges => false;

        private bool _profileOrProxyNamed;

        protected override void BeginProcessing()
        {
            // Before any record binds: what the command line named. Text from the pipeline binds to -Profile and -Proxy alike.
            _profileOrProxyNamed = MyInvocation.BoundParameters.ContainsKey(nameof(Profile)) || MyInvocation.BoundParameters.ContainsKey(nameof(Proxy));
            base.BeginProcessing();
        }

        /// <summary>Stops the command when the settings cannot be sent as they are (call it per record: -Profile may come from the pipeline).</summary>
        internal void ValidateSettings()
        {
            if (SavesProfileChanges && Profile == null)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, null, "-SaveProfileChanges needs -Profile (or a profile piped in)."));
            }

            if (!_profileOrProxyNamed && Profile?.IdOrName != null && Proxy?.IdOrName != null)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, Profile.IdOrName, $"'{Profile.IdOrName}' came through the pipeline and could name a profile or a proxy: give it as -Profile or -Proxy (piped profile and proxy objects find their own parameter)."));
            }

            if ((TimeoutProblem(Timeout) ?? StartUrlProblem(StartUrl)) is { } problem)
            {
                ThrowTerminatingError(problem);
            }
        }

        /// <summary>The error for a setting given together with the switch that clears it (-Proxy and -NoProxy); null when it is not.</summary>
        internal static ErrorRecord? Both(object? value, SwitchParameter none, string parameter) =>
            value != null && none
                ? ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, value, $"Give -{parameter} or -No{parameter}, not both.")
                : null;

        /// <summary>
        /// The id to PATCH for a profile or proxy setting: empty to clear it (<paramref name="clear"/>), null to leave
        /// it as it is (nothing given), else the id of the one given by name, id or object.
        /// </summary>
        internal static async Task<string?> SettingIdAsync<TSetting>(KernelApiClient client, ApiResource<TSetting> resource, KernelResourceReference? given, bool clear, IOperationObserver observer, CancellationToken cancellationToken)
            where TSetting : class =>
            clear ? string.Empty : given == null ? null : resource.IdOf(await client.ResolveAsync(resource, given, observer, cancellationToken).ConfigureAwait(false));

        /// <summary>The error for a browser inactivity timeout Kernel does not take (10 s to 72 h); null when it does.</summary>
        internal static ErrorRecord? TimeoutProblem(TimeSpan? timeout) =>
            timeout is { } value && (value < TimeSpan.FromSeconds(10) || value > TimeSpan.FromHours(72))
                ? ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, value, $"-Timeout must be from 10 seconds to 72 hours, not {value}.")
                : null;

        /// <summary>The error for a start URL that is not http or https; null when it is (or none is given).</summary>
        internal static ErrorRecord? StartUrlProblem(Uri? startUrl) =>
            startUrl != null && (!startUrl.IsAbsoluteUri || (startUrl.Scheme != Uri.UriSchemeHttp && startUrl.Scheme != Uri.UriSchemeHttps))
                ? ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, startUrl, $"-StartUrl must be an http or https URL, not '{startUrl}'.")
                : null;

        /// <summary>What ShouldProcess names besides the browser: " with profile x through proxy y with extensions a, b".</summary>
        internal string DescribeSettings() =>
            (Profile == null ? string.Empty : $" with profile {Profile}")
            + (Proxy == null ? string.Empty : $" through proxy {Proxy}")
            + (Extension == null ? string.Empty : $" with extension{(Extension.Length == 1 ? string.Empty : "s")} {string.Join(", ", Extension.Select(e => e.ToString()))}");

        /// <summary>The settings, with the profile, proxy and extensions looked up (by name or id) unless objects were given.</summary>
        internal async Task<BrowserSettings> ResolveSettingsAsync(KernelApiClient client, IOperationObserver observer, CancellationToken cancellationToken) => new BrowserSettings
        {
            ExtensionIds = Extension == null ? null : await ExtensionIdsAsync(client, Extension, observer, cancellationToken).ConfigureAwait(false),
            Headless = Headless.IsPresent ? true : (bool?)null,
            Stealth = Stealth.IsPresent ? true : (bool?)null,
            TimeoutSeconds = Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : (int?)null,
            ProfileId = await SettingIdAsync(client, ProfileApi.Resource, Profile, clear: false, observer, cancellationToken).ConfigureAwait(false),
            SaveProfileChanges = SavesProfileChanges,
            ProxyId = await SettingIdAsync(client, ProxyApi.Resource, Proxy, clear: false, observer, cancellationToken).ConfigureAwait(false),
            Viewport = Viewport,
            KioskMode = Kiosk.IsPresent ? true : (bool?)null,
            StartUrl = StartUrl?.AbsoluteUri,
        };

        /// <summary>The ids of the extensions given, in order; an unknown one is an ObjectNotFound error naming it.</summary>
        internal static async Task<IReadOnlyList<string>> ExtensionIdsAsync(KernelApiClient client, IEnumerable<KernelExtensionReference> extensions, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            foreach (var extension in extensions)
            {
                ids.Add(ExtensionApi.Resource.IdOf(await client.ResolveAsync(ExtensionApi.Resource, extension, observer, cancellationToken).ConfigureAwait(false)));
            }

            return ids;
        }

        /// <summary>A -Tag hashtable as the API's tags: text keys and values.</summary>
        internal static Dictionary<string, string>? Tags(IDictionary? tags) =>
            tags?.Cast<DictionaryEntry>().ToDictionary(
                entry => LanguagePrimitives.ConvertTo<string>(entry.Key),
                entry => entry.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(entry.Value),
                StringComparer.Ordinal);
    }
}
