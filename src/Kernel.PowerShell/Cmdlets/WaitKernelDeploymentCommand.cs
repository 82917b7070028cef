using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Wait-KernelDeployment: follows deployments until they run or fail.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "KernelDeployment", DefaultParameterSetName = AppSet)]
    [OutputType(typeof(KernelDeployment))]
    public sealed class WaitKernelDeploymentCommand : KernelSessionCmdlet
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

        /// <summary>How long to wait for each deployment (a TimeSpan, seconds, or text such as 90s, 5m or 1h30m). Default 30 minutes.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        protected override void BeginProcessing() => RequirePositive(Timeout, nameof(Timeout));

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            foreach (var id in ParameterSetName == AppSet ? DeploymentIds(App) : Id)
            {
                try
                {
                    var result = Run("Waiting for deployment " + id, (observer, token) => Follower.FollowDeploymentAsync(client, id, Timeout, observer, token));
                    FollowOutcomes.Write(this, result, Timeout);
                }
                catch (PipelineStoppedException) when (IsStopping)
                {
                    TellHost($"Stopped waiting; deployment {id} is unchanged on Kernel. Follow it again with: Wait-KernelDeployment -Id {id}");
                    throw;
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteResumable(ex, id, $"Following deployment {id} failed", $"Wait-KernelDeployment -Id {id}");
                }
            }
        }
    }
}
