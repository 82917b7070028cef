using System;
using System.Collections;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Get-KernelBrowser: browser sessions by id, by name (wildcards), tag and status over every page, or those
    /// an invocation's action created (piped invocations bind here).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KernelBrowser", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelBrowser))]
    public sealed class GetKernelBrowserCommand : GetResourceCmdlet<KernelBrowser>
    {
        private const string InvocationSet = "Invocation";
        private const string InvocationIdSet = "InvocationId";

        /// <summary>Only sessions carrying all these tags: @{ job = 'nightly' }.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        /// <summary>Active (the default), Deleted (ended sessions) or All.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("Active", "Deleted", "All")]
        public string? Status { get; set; }

        /// <summary>Find an ended session by its id too.</summary>
        [Parameter(ParameterSetName = IdSet)]
        public SwitchParameter IncludeDeleted { get; set; }

        /// <summary>The invocations whose browsers to get; piped invocations bind here.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InvocationSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public KernelInvocation[] Invocation { get; set; } = null!;

        /// <summary>The ids of the invocations whose browsers to get.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InvocationIdSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InvocationIdCompleter))]
        public string[] InvocationId { get; set; } = null!;

        internal override ApiResource<KernelBrowser> Resource => BrowserApi.Resource;

        internal override Query ListFilter() =>
            base.ListFilter().With("status", Status?.ToLowerInvariant()).WithMap("tags", BrowserSettingsCmdlet.Tags(Tag));

        internal override Query GetQuery() => new Query().WithFlag("include_deleted", IncludeDeleted);

        protected override void ProcessRecord()
        {
            if (ParameterSetName != InvocationSet && ParameterSetName != InvocationIdSet)
            {
                base.ProcessRecord();
                return;
            }

            var client = ResolveClient();
            foreach (var id in ParameterSetName == InvocationSet ? Array.ConvertAll(Invocation, i => i.Id) : InvocationId)
            {
                try
                {
                    foreach (var browser in Run($"Getting the browsers of invocation {id}", (observer, token) => client.ListInvocationBrowsersAsync(id, observer, token)))
                    {
                        if (Window.Take())
                        {
                            WriteObject(browser);
                        }
                    }
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }
}
