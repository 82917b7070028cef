using System;
using System.Management.Automation;
using System.Net;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Remove-KernelDeployment: stops deployments and deletes them.</summary>
    [Cmdlet(VerbsCommon.Remove, "KernelDeployment", DefaultParameterSetName = AppSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveKernelDeploymentCommand : KernelSessionCmdlet
    {
        // The app set is the default so that a piped app version binds to -App: PowerShell tries the default set first.
        private const string IdSet = "Id";
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

        /// <summary>Remove without asking, like the CLI's -y. -WhatIf (also a caller's) still removes nothing, and -Confirm still asks.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            foreach (var id in ParameterSetName == AppSet ? DeploymentIds(App) : Id)
            {
                if (!ShouldChange($"deployment {id} on {session.BaseUri}", "Stop and delete", Force))
                {
                    continue;
                }

                try
                {
                    Run("Removing deployment " + id, async (observer, token) =>
                    {
                        await session.Client.DeleteDeploymentAsync(id, observer, token).ConfigureAwait(false);
                        return true;
                    });
                    session.Completions.Clear();
                    WriteVerbose($"Deleted deployment {id}.");
                }
                catch (KernelApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    // Gone already: what the caller wanted. Said, not failed, so cleanup scripts stay idempotent.
                    WriteWarning($"Deployment {id} was not found on {session.BaseUri} (already deleted?).");
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }
}
