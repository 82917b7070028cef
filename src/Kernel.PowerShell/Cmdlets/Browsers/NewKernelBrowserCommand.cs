using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>New-KernelBrowser: starts a browser session. Pipe profiles or proxies in to start one browser for each.</summary>
    [Cmdlet(VerbsCommon.New, "KernelBrowser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelBrowser))]
    public sealed class NewKernelBrowserCommand : BrowserSettingsCmdlet
    {
        /// <summary>A name for the session, unique among the project's active browsers.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Tags to find the session by later: @{ job = 'nightly'; team = 'growth' }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        /// <summary>Write what the session changes (cookies, logins) back to the profile when it ends.</summary>
        [Parameter]
        public SwitchParameter SaveProfileChanges { get; set; }

        /// <summary>GPU acceleration (headful browsers, on plans that have it).</summary>
        [Parameter]
        public SwitchParameter Gpu { get; set; }

        /// <summary>The invocation this browser belongs to (an action creating its browser).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InvocationIdCompleter))]
        public string? InvocationId { get; set; }

        internal override bool SavesProfileChanges => SaveProfileChanges;

        protected override void ProcessRecord()
        {
            ValidateSettings();
            var what = Name == null ? "a browser" : $"browser '{Name}'";
            if (!ShouldProcess($"{what} on {DescribeEndpoint()}{DescribeSettings()}", "Create"))
            {
                return;
            }

            var session = ResolveSession();

            WriteCreated(session, "Creating " + what, Name, async (observer, token) =>
            {
                var settings = await ResolveSettingsAsync(session.Client, observer, token).ConfigureAwait(false);
                var fields = settings.Fields().Concat(new[]
                {
                    BrowserSettings.Field("name", Name),
                    BrowserSettings.Field("tags", Tags(Tag)),
                    BrowserSettings.Field("gpu", Gpu.IsPresent ? true : (bool?)null),
                    BrowserSettings.Field("invocation_id", InvocationId),
                });
                return await session.Client.CreateAsync(BrowserApi.Resource, fields, observer, token).ConfigureAwait(false);
            }, browser => $"Created browser {browser.Id}{(browser.Name == null ? string.Empty : $" ({browser.Name})")}.");
        }
    }
}
