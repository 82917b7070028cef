using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelDeployment: a deployment as the API reports it now.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelDeployment")]
    [OutputType(typeof(KernelDeployment))]
    public sealed class GetKernelDeploymentCommand : KernelSessionCmdlet
    {
        /// <summary>The deployment id; binds from the Id of piped deployments.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("DeploymentId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = null!;

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            foreach (var id in Id)
            {
                try
                {
                    WriteObject(Run("Getting deployment " + id, (observer, token) => client.GetDeploymentAsync(id, observer, token)));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }
}
