using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelDeployment: one deployment by id, or the deployments that match, newest first.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelDeployment", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelDeployment))]
    public sealed class GetKernelDeploymentCommand : KernelSessionCmdlet
    {
        private const string IdSet = "Id";
        private const string ListSet = "List";
        private const string AppSet = "App";

        /// <summary>The deployment id; binds from the Id of piped deployments.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("DeploymentId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeploymentIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>App versions (Get-KernelApp output): their deployments. Piped app versions bind here, not to -Id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AppSet, ValueFromPipeline = true, HelpMessage = "Pipe app versions from Get-KernelApp here; give deployment ids with -Id.")]
        [ValidateNotNull]
        public KernelApp[] App { get; set; } = null!;

        /// <summary>Only deployments of this app.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AppNameCompleter))]
        public string? AppName { get; set; }

        /// <summary>Only deployments of this app version (needs -AppName).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? AppVersion { get; set; }

        /// <summary>Search by deployment id or app name.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            if (ParameterSetName == ListSet)
            {
                if (AppVersion != null && AppName == null)
                {
                    ThrowTerminatingError(ErrorCatalog.Create("AppVersionNeedsAppName", ErrorCategory.InvalidArgument, AppVersion, "-AppVersion needs -AppName."));
                }

                try
                {
                    WritePaged<KernelDeployment>("Listing deployments", (skip, first, emit, observer, token) =>
                        client.ListDeploymentsAsync(AppName, AppVersion, Query, skip, first, emit, observer, token));
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, AppName);
                }

                return;
            }

            foreach (var id in ParameterSetName == AppSet ? DeploymentIds(App) : Id)
            {
                try
                {
                    WriteObject(Run("Getting deployment " + id, (observer, token) => client.GetDeploymentAsync(id, observer, token)));
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }
}
