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
    /// Base of the cmdlets that describe how a browser is made (New-KernelBrowser; a pool's browsers take the
    /// same): headless or not, stealth, the inactivity timeout, a profile (and whether to save into it), a proxy,
    /// the viewport, kiosk mode and a start URL. A profile or proxy given by name or id is looked up when the
    /// command runs: an unknown one is an ObjectNotFound error before anything is created.
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

        /// <summary>Write what the session changes (cookies, logins) back to the profile when it ends.</summary>
        [Parameter]
        public SwitchParameter SaveProfileChanges { get; set; }

        /// <summary>The proxy to route through: its id, its name, or a proxy object (piped objects bind here).</summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelProxyReference? Proxy { get; set; }

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

        /// <summary>Stops the command when the settings cannot be sent as they are (call it per record: -Profile may come from the pipeline).</summary>
        internal void ValidateSettings()
        {
            if (SaveProfileChanges && Profile == null)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, null, "-SaveProfileChanges needs -Profile (or a profile piped in)."));
            }

            if (Timeout is { } timeout && (timeout < TimeSpan.FromSeconds(10) || timeout > TimeSpan.FromHours(72)))
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, timeout, $"-Timeout must be from 10 seconds to 72 hours, not {timeout}."));
            }

            if (StartUrl != null && (!StartUrl.IsAbsoluteUri || (StartUrl.Scheme != Uri.UriSchemeHttp && StartUrl.Scheme != Uri.UriSchemeHttps)))
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, StartUrl, $"-StartUrl must be an http or https URL, not '{StartUrl}'."));
            }
        }

        /// <summary>The settings, with the profile and proxy looked up (by name or id) unless objects were given.</summary>
        internal async Task<BrowserSettings> ResolveSettingsAsync(KernelApiClient client, IOperationObserver observer, CancellationToken cancellationToken) => new BrowserSettings
        {
            Headless = Headless.IsPresent ? true : (bool?)null,
            Stealth = Stealth.IsPresent ? true : (bool?)null,
            TimeoutSeconds = Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : (int?)null,
            ProfileId = Profile == null ? null : ProfileApi.Resource.IdOf(await client.ResolveAsync(ProfileApi.Resource, Profile, observer, cancellationToken).ConfigureAwait(false)),
            SaveProfileChanges = SaveProfileChanges,
            ProxyId = Proxy == null ? null : ProxyApi.Resource.IdOf(await client.ResolveAsync(ProxyApi.Resource, Proxy, observer, cancellationToken).ConfigureAwait(false)),
            Viewport = Viewport,
            KioskMode = Kiosk.IsPresent ? true : (bool?)null,
            StartUrl = StartUrl?.AbsoluteUri,
        };

        /// <summary>A -Tag hashtable as the API's tags: text keys and values.</summary>
        internal static Dictionary<string, string>? Tags(IDictionary? tags) =>
            tags?.Cast<DictionaryEntry>().ToDictionary(
                entry => LanguagePrimitives.ConvertTo<string>(entry.Key),
                entry => entry.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(entry.Value),
                StringComparer.Ordinal);
    }
}
