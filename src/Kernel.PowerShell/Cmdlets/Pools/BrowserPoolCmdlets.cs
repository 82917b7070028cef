using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// New-KernelBrowserPool: a pool of warm browsers, all made with the settings New-KernelBrowser takes. Kernel
    /// fills it to -Size at -FillRate; Lock-KernelBrowser takes a browser from it, Unlock-KernelBrowser gives it
    /// back. Pooled browsers load their profile read-only: they never save into it.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "KernelBrowserPool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelBrowserPool))]
    public sealed class NewKernelBrowserPoolCommand : BrowserSettingsCmdlet
    {
        /// <summary>A name for the pool, unique in the project: letters, digits, dots, underscores and hyphens.</summary>
        [Parameter(Position = 0)]
        [ValidatePattern("^[a-zA-Z0-9._-]{1,255}$")]
        public string? Name { get; set; }

        /// <summary>How many browsers to keep in the pool, warm or taken.</summary>
        [Parameter(Mandatory = true)]
        [ValidateRange(1, int.MaxValue)]
        public int Size { get; set; }

        /// <summary>How fast the pool fills: a percentage of -Size per minute (Kernel's default 25; most organizations' cap too); 0 pauses the filling.</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int? FillRate { get; set; }

        protected override void ProcessRecord()
        {
            ValidateSettings();
            var what = Name == null ? "a browser pool" : $"browser pool '{Name}'";
            if (!ShouldProcess($"{what} of {Size} browsers on {DescribeEndpoint()}{DescribeSettings()}", "Create"))
            {
                return;
            }

            var session = ResolveSession();

            WriteCreated(session, "Creating " + what, Name, async (observer, token) =>
            {
                var settings = await ResolveSettingsAsync(session.Client, observer, token).ConfigureAwait(false);
                var fields = new[]
                {
                    BrowserSettings.Field("name", Name),
                    BrowserSettings.Field("size", Size),
                    BrowserSettings.Field("fill_rate_per_minute", FillRate),
                }.Concat(settings.Fields());
                return await session.Client.CreateAsync(BrowserPoolApi.Resource, fields, observer, token).ConfigureAwait(false);
            }, pool => $"Created browser pool {pool.Id}{(pool.Name == null ? string.Empty : $" ({pool.Name})")}; Kernel fills it to {pool.Size} browsers.");
        }
    }

    /// <summary>Get-KernelBrowserPool: pools by id or name (wildcards), over every page, with how many browsers are free and taken.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelBrowserPool", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelBrowserPool))]
    public sealed class GetKernelBrowserPoolCommand : GetResourceCmdlet<KernelBrowserPool>
    {
        internal override ApiResource<KernelBrowserPool> Resource => BrowserPoolApi.Resource;
    }

    /// <summary>
    /// Set-KernelBrowserPool: changes a pool's name, size, fill rate and the settings of its browsers. Only what
    /// is given changes; browsers already made keep their settings until they are replaced (-DiscardIdle replaces
    /// the idle ones now).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "KernelBrowserPool", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KernelBrowserPool))]
    public sealed class SetKernelBrowserPoolCommand : ChangeResourceCmdlet<KernelBrowserPool>
    {
        /// <summary>The pool's new name.</summary>
        [Parameter]
        [ValidatePattern("^[a-zA-Z0-9._-]{1,255}$")]
        public string? NewName { get; set; }

        /// <summary>How many browsers to keep in the pool.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Size { get; set; }

        /// <summary>How fast the pool fills: a percentage of its size per minute; 0 pauses the filling.</summary>
        [Parameter]
        [ValidateRange(0, 100)]
        public int? FillRate { get; set; }

        /// <summary>How long a taken browser may go without a connection before Kernel ends it (10 s to 72 h).</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? Timeout { get; set; }

        /// <summary>Make headless browsers (-Headless:$false for headful ones).</summary>
        [Parameter]
        public SwitchParameter Headless { get; set; }

        /// <summary>Make stealth browsers (-Stealth:$false to stop).</summary>
        [Parameter]
        public SwitchParameter Stealth { get; set; }

        /// <summary>Make kiosk browsers (-Kiosk:$false to stop).</summary>
        [Parameter]
        public SwitchParameter Kiosk { get; set; }

        /// <summary>The profile the pool's browsers load (read-only): its name, its id, or a profile object.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelProfileReference? Profile { get; set; }

        /// <summary>Load no profile any more.</summary>
        [Parameter]
        public SwitchParameter NoProfile { get; set; }

        /// <summary>The proxy the pool's browsers route through: its id, its name, or a proxy object.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelProxyReference? Proxy { get; set; }

        /// <summary>Route through no proxy any more.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>The extensions the pool's browsers load, replacing the ones they had: names, ids, or extension objects.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateCount(1, 20)]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelExtensionReference[]? Extension { get; set; }

        /// <summary>Load no extensions any more.</summary>
        [Parameter]
        public SwitchParameter NoExtension { get; set; }

        /// <summary>The window size: 1920x1080, 1280x800@60, or @{ Width = 1280; Height = 800 }.</summary>
        [Parameter]
        public KernelBrowserViewport? Viewport { get; set; }

        /// <summary>The page a new browser opens as it is warmed into the pool.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? StartUrl { get; set; }

        /// <summary>End the idle browsers now, so that the pool refills with the new settings (taken ones keep theirs).</summary>
        [Parameter]
        public SwitchParameter DiscardIdle { get; set; }

        internal override ApiResource<KernelBrowserPool> Resource => BrowserPoolApi.Resource;

        internal override bool OneAtATime => NewName != null;

        protected override void BeginProcessing()
        {
            var problem = !Changes().Any()
                ? ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, null, "Nothing to change: give -NewName, -Size, -FillRate, -Timeout, -Headless, -Stealth, -Kiosk, -Profile, -NoProfile, -Proxy, -NoProxy, -Extension, -NoExtension, -Viewport, -StartUrl or -DiscardIdle.")
                : BrowserSettingsCmdlet.Both(Profile, NoProfile, "Profile") ?? BrowserSettingsCmdlet.Both(Proxy, NoProxy, "Proxy") ?? BrowserSettingsCmdlet.Both(Extension, NoExtension, "Extension")
                    ?? BrowserSettingsCmdlet.TimeoutProblem(Timeout) ?? BrowserSettingsCmdlet.StartUrlProblem(StartUrl);
            if (problem != null)
            {
                ThrowTerminatingError(problem);
            }
        }

        internal override string Change => "Change " + string.Join(", ", Changes());

        internal override async Task<IEnumerable<KeyValuePair<string, object?>>> FieldsAsync(KernelApiClient client, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var profileId = await BrowserSettingsCmdlet.SettingIdAsync(client, ProfileApi.Resource, Profile, NoProfile, observer, cancellationToken).ConfigureAwait(false);
            var proxyId = await BrowserSettingsCmdlet.SettingIdAsync(client, ProxyApi.Resource, Proxy, NoProxy, observer, cancellationToken).ConfigureAwait(false);
            var extensionIds = NoExtension ? Array.Empty<string>() : Extension == null ? null : await BrowserSettingsCmdlet.ExtensionIdsAsync(client, Extension, observer, cancellationToken).ConfigureAwait(false);
            return new[]
            {
                BrowserSettings.Field("name", NewName),
                BrowserSettings.Field("size", Size),
                BrowserSettings.Field("fill_rate_per_minute", FillRate),
                BrowserSettings.Field("timeout_seconds", Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : (int?)null),
                BrowserSettings.Field("headless", Given(nameof(Headless), Headless)),
                BrowserSettings.Field("stealth", Given(nameof(Stealth), Stealth)),
                BrowserSettings.Field("kiosk_mode", Given(nameof(Kiosk), Kiosk)),
                BrowserSettings.Field("profile", profileId == null ? null : BrowserSettings.ProfileField(profileId, saveChanges: false)),
                BrowserSettings.Field("proxy_id", proxyId),
                BrowserSettings.Field("extensions", extensionIds == null ? null : BrowserSettings.ExtensionsField(extensionIds)),
                BrowserSettings.Field("viewport", Viewport == null ? null : BrowserSettings.ViewportField(Viewport)),
                BrowserSettings.Field("start_url", StartUrl?.AbsoluteUri),
                BrowserSettings.Field("discard_all_idle", DiscardIdle.IsPresent ? true : (bool?)null),
            };
        }

        private IEnumerable<string> Changes() => new[]
        {
            NewName == null ? null : $"name '{NewName}'",
            Size == null ? null : $"size {Size}",
            FillRate == null ? null : $"fill rate {FillRate}% a minute",
            Timeout == null ? null : $"timeout {Timeout}",
            Given(nameof(Headless), Headless) is { } headless ? (headless ? "headless" : "headful") : null,
            Given(nameof(Stealth), Stealth) is { } stealth ? (stealth ? "stealth" : "no stealth") : null,
            Given(nameof(Kiosk), Kiosk) is { } kiosk ? (kiosk ? "kiosk" : "no kiosk") : null,
            Profile == null ? null : $"profile {Profile}",
            NoProfile ? "no profile" : null,
            Proxy == null ? null : $"proxy {Proxy}",
            NoProxy ? "no proxy" : null,
            Extension == null ? null : $"extensions {string.Join(", ", Extension.Select(e => e.ToString()))}",
            NoExtension ? "no extensions" : null,
            Viewport == null ? null : $"viewport {Viewport}",
            StartUrl == null ? null : $"start URL {StartUrl}",
            DiscardIdle ? "discard the idle browsers" : null,
        }.Where(change => change != null)!;
    }

    /// <summary>
    /// Remove-KernelBrowserPool: deletes pools and their browsers. A pool with taken browsers is kept unless
    /// -Force, which also ends the taken browsers (and does not ask).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "KernelBrowserPool", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveKernelBrowserPoolCommand : RemoveResourceCmdlet<KernelBrowserPool>
    {
        internal override ApiResource<KernelBrowserPool> Resource => BrowserPoolApi.Resource;

        internal override string RemoveAction => Force
            ? "Delete the pool and end all its browsers, taken ones included"
            : "Delete the pool and its idle browsers (refused while browsers are taken)";

        internal override IEnumerable<KeyValuePair<string, object?>>? DeleteFields =>
            Force ? new[] { BrowserSettings.Field("force", true) } : null;

        /// <summary>A pool the API keeps because browsers are taken: the error says how to delete it anyway.</summary>
        internal override ErrorRecord Failure(Exception exception, object? target)
        {
            var record = base.Failure(exception, target);
            if (!Force && exception is KernelApiException api && (api.StatusCode == HttpStatusCode.BadRequest || api.StatusCode == HttpStatusCode.Conflict))
            {
                var fix = "Give the browsers back first (Unlock-KernelBrowser), or add -Force to end them with the pool";
                record.ErrorDetails = new ErrorDetails($"{api.Message.TrimEnd('.')}. {fix}.") { RecommendedAction = fix + "." };
            }

            return record;
        }
    }

    /// <summary>Clear-KernelBrowserPool: ends a pool's idle browsers (the API's flush); taken ones are left alone, and the pool refills.</summary>
    [Cmdlet(VerbsCommon.Clear, "KernelBrowserPool", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KernelBrowserPool))]
    public sealed class ClearKernelBrowserPoolCommand : TargetResourceCmdlet<KernelBrowserPool>
    {
        /// <summary>Write each pool, as it is after the flush.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal override ApiResource<KernelBrowserPool> Resource => BrowserPoolApi.Resource;

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            foreach (var target in Targets())
            {
                var what = Describe(target);
                if (!ShouldProcess($"{what} on {session.BaseUri}", "End its idle browsers (taken ones are left alone)"))
                {
                    continue;
                }

                try
                {
                    var pool = Run("Flushing " + what, async (observer, token) =>
                    {
                        await session.Client.FlushBrowserPoolAsync(target.IdOrName, observer, token).ConfigureAwait(false);
                        return PassThru ? await session.Client.GetAsync(Resource, target.IdOrName, new Query(), observer, token).ConfigureAwait(false) : null;
                    });
                    WriteVerbose($"Ended the idle browsers of {what}.");
                    if (pool != null)
                    {
                        WriteObject(pool);
                    }
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, target.IdOrName);
                }
            }
        }
    }
}
