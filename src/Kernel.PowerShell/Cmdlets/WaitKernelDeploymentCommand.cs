using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Wait-KernelDeployment: follows deployments until they run or fail.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "KernelDeployment")]
    [OutputType(typeof(KernelDeployment))]
    public sealed class WaitKernelDeploymentCommand : KernelSessionCmdlet
    {
        /// <summary>The deployment id; binds from the Id of piped deployments.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("DeploymentId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeploymentIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>How long to wait for each deployment (a TimeSpan, or seconds). Default 30 minutes.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        private volatile string? _following;

        protected override void BeginProcessing() => RequirePositive(Timeout, nameof(Timeout));

        protected override void StopProcessing()
        {
            base.StopProcessing();
            if (_following is { } id)
            {
                TellHost($"Stopped waiting; deployment {id} is unchanged on Kernel. Follow it again with: Wait-KernelDeployment -Id {id}");
            }
        }

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            foreach (var id in Id)
            {
                try
                {
                    _following = id;
                    var result = Run("Waiting for deployment " + id, (observer, token) => Follower.FollowDeploymentAsync(client, id, Timeout, observer, token));
                    FollowOutcomes.Write(this, result, Timeout);
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
                finally
                {
                    _following = null;
                }
            }
        }
    }
}
