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
    /// Set-KernelBrowser: renames a running session, replaces its tags, loads a profile into it (when it has none),
    /// changes or drops its proxy, or resizes it. Only what is given changes.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "KernelBrowser", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KernelBrowser))]
    public sealed class SetKernelBrowserCommand : ChangeResourceCmdlet<KernelBrowser>
    {
        /// <summary>The session's new name; '' clears it.</summary>
        [Parameter]
        [AllowEmptyString]
        [ValidateNotNull]
        public string? NewName { get; set; }

        /// <summary>The session's tags, replacing all it had; @{} clears them.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        /// <summary>A profile to load (only into a session without one): its name, its id, or a profile object.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelProfileReference? Profile { get; set; }

        /// <summary>Write what the session changes back to the profile loaded with -Profile when it ends.</summary>
        [Parameter]
        public SwitchParameter SaveProfileChanges { get; set; }

        /// <summary>The proxy to route through from now on: its id, its name, or a proxy object.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelProxyReference? Proxy { get; set; }

        /// <summary>Stop routing through a proxy.</summary>
        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>Let a stealth browser connect directly instead of through Kernel's default stealth proxy (-DisableDefaultProxy:$false undoes it).</summary>
        [Parameter]
        public SwitchParameter DisableDefaultProxy { get; set; }

        /// <summary>A new window size: 1920x1080, 1280x800@60, or @{ Width = 1280; Height = 800 }.</summary>
        [Parameter]
        public KernelBrowserViewport? Viewport { get; set; }

        /// <summary>Resize even while a live view or a recording is active (a recording restarts at the new size).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        internal override ApiResource<KernelBrowser> Resource => BrowserApi.Resource;

        internal override bool OneAtATime => NewName != null;

        protected override void BeginProcessing()
        {
            if (!Changes().Any())
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, null, "Nothing to change: give -NewName, -Tag, -Profile, -Proxy, -NoProxy, -DisableDefaultProxy or -Viewport."));
            }

            if (BrowserSettingsCmdlet.Both(Proxy, NoProxy, nameof(Proxy)) is { } both)
            {
                ThrowTerminatingError(both);
            }

            if (SaveProfileChanges && Profile == null)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBrowserSettings, ErrorCategory.InvalidArgument, null, "-SaveProfileChanges goes with -Profile: a loaded profile's saving cannot be changed."));
            }
        }

        internal override string Change => "Change " + string.Join(", ", Changes());

        internal override async Task<IEnumerable<KeyValuePair<string, object?>>> FieldsAsync(KernelApiClient client, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var profileId = await BrowserSettingsCmdlet.SettingIdAsync(client, ProfileApi.Resource, Profile, clear: false, observer, cancellationToken).ConfigureAwait(false);
            var proxyId = await BrowserSettingsCmdlet.SettingIdAsync(client, ProxyApi.Resource, Proxy, NoProxy, observer, cancellationToken).ConfigureAwait(false);
            return new[]
            {
                BrowserSettings.Field("name", NewName),
                BrowserSettings.Field("tags", BrowserSettingsCmdlet.Tags(Tag)),
                BrowserSettings.Field("profile", profileId == null ? null : BrowserSettings.ProfileField(profileId, SaveProfileChanges)),
                BrowserSettings.Field("proxy_id", proxyId),
                BrowserSettings.Field("disable_default_proxy", Given(nameof(DisableDefaultProxy), DisableDefaultProxy)),
                BrowserSettings.Field("viewport", Viewport == null ? null : ViewportWithForce(Viewport)),
            };
        }

        private System.Collections.Specialized.OrderedDictionary ViewportWithForce(KernelBrowserViewport viewport)
        {
            var fields = BrowserSettings.ViewportField(viewport);
            if (Force)
            {
                fields["force"] = true;
            }

            return fields;
        }

        private IEnumerable<string> Changes() => new[]
        {
            NewName == null ? null : NewName.Length == 0 ? "clear the name" : $"name '{NewName}'",
            Tag == null ? null : "tags",
            Profile == null ? null : $"profile {Profile}",
            Proxy == null ? null : $"proxy {Proxy}",
            NoProxy ? "no proxy" : null,
            MyInvocation.BoundParameters.ContainsKey(nameof(DisableDefaultProxy)) ? "default proxy" : null,
            Viewport == null ? null : $"viewport {Viewport}",
        }.Where(change => change != null)!;
    }
}
