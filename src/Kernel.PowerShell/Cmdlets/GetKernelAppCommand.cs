using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelApp: the app versions running deployments serve, with their actions.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelApp", SupportsPaging = true)]
    [OutputType(typeof(KernelApp))]
    public sealed class GetKernelAppCommand : KernelSessionCmdlet
    {
        /// <summary>Only this app; wildcards allowed. A literal name no running app has is an ObjectNotFound error.</summary>
        [Parameter(Position = 0)]
        [Alias("AppName")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(AppNameCompleter))]
        public string? Name { get; set; }

        /// <summary>Only this version label.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Version { get; set; }

        /// <summary>Search by app name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        protected override void EndProcessing() =>
            WriteList(AppApi.Resource, new Query().With("version", Version).With("query", Query), Name == null ? null : new[] { Name });
    }
}
