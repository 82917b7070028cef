using System;
using System.Linq;
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
        public string[] Id { get; set; } = null!;

        /// <summary>How long to wait for each deployment (a TimeSpan, or seconds). Default 30 minutes.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        protected override void BeginProcessing()
        {
            if (Timeout <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, Timeout, $"-Timeout must be positive, not {Timeout}."));
            }
        }

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            foreach (var id in Id)
            {
                FollowResult result;
                try
                {
                    result = Run("Waiting for deployment " + id, (observer, token) => DeploymentFollower.FollowAsync(client, id, Timeout, observer, token));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteFailure(ex, id);
                    continue;
                }

                switch (result.Outcome)
                {
                    case FollowOutcome.Running:
                        WriteObject(result.Deployment);
                        break;
                    case FollowOutcome.Failed:
                        var deployment = result.Deployment!;
                        var reason = string.IsNullOrEmpty(deployment.StatusReason) ? "no reason given" : deployment.StatusReason;
                        WriteError(WithRecentLog(ErrorCatalog.Create(
                            ErrorCatalog.DeploymentFailed,
                            ErrorCategory.InvalidResult,
                            deployment,
                            $"Deployment {deployment.Id} {deployment.Status}: {reason}"), result));
                        break;
                    case FollowOutcome.StreamError:
                        WriteError(WithRecentLog(ErrorCatalog.Create(
                            ErrorCatalog.DeploymentStreamError,
                            ErrorCategory.InvalidResult,
                            (object?)result.Deployment ?? id,
                            $"Deployment {id} reported an error: {result.Error}"), result));
                        break;
                    case FollowOutcome.TimedOut:
                        var status = result.Deployment?.Status ?? "not reported yet";
                        WriteError(ErrorCatalog.Create(
                            ErrorCatalog.DeploymentWaitTimeout,
                            ErrorCategory.OperationTimeout,
                            (object?)result.Deployment ?? id,
                            $"Deployment {id} did not settle within {Timeout} (status: {status}). It may still finish: Wait-KernelDeployment -Id {id}"));
                        break;
                }
            }
        }

        /// <summary>Puts the last log lines in the error's RecommendedAction, where $Error shows them.</summary>
        private static ErrorRecord WithRecentLog(ErrorRecord record, FollowResult result)
        {
            if (result.RecentLog.Count > 0)
            {
                record.ErrorDetails = new ErrorDetails(record.Exception.Message)
                {
                    RecommendedAction = "Last log lines:" + Environment.NewLine + string.Join(Environment.NewLine, result.RecentLog.Select(l => l.Message)),
                };
            }

            return record;
        }
    }
}
