using System;
using System.Management.Automation;
using System.Net;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Remove-KernelDeployment: stops deployments and deletes them.</summary>
    [Cmdlet(VerbsCommon.Remove, "KernelDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveKernelDeploymentCommand : KernelSessionCmdlet
    {
        /// <summary>The deployment id; binds from the Id of piped deployments.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("DeploymentId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeploymentIdCompleter))]
        public string[] Id { get; set; } = null!;

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            foreach (var id in Id)
            {
                if (!ShouldProcess($"deployment {id} on {session.BaseUri}", "Stop and delete"))
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
