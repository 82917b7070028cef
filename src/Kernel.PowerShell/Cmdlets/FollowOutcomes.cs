using System;
using System.Linq;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>How the end of a follow reaches the pipeline: the object on success, one ErrorRecord otherwise.</summary>
    internal static class FollowOutcomes
    {
        public static void Write(KernelCmdlet cmdlet, FollowResult<KernelDeployment> result, TimeSpan timeout)
        {
            var id = result.Id;
            switch (result.Outcome)
            {
                case FollowOutcome.Succeeded:
                    cmdlet.WriteObject(result.Last);
                    break;
                case FollowOutcome.Failed:
                    var deployment = result.Last!;
                    var reason = string.IsNullOrEmpty(deployment.StatusReason) ? "no reason given" : deployment.StatusReason;
                    cmdlet.WriteError(WithRecentLog(ErrorCatalog.Create(
                        ErrorCatalog.DeploymentFailed,
                        ErrorCategory.InvalidResult,
                        deployment,
                        $"Deployment {deployment.Id} {deployment.Status}: {reason}"), result.RecentLog, $"Read its whole log: Get-KernelDeploymentLog -Id {deployment.Id}"));
                    break;
                case FollowOutcome.StreamError:
                    cmdlet.WriteError(WithRecentLog(ErrorCatalog.Create(
                        ErrorCatalog.DeploymentStreamError,
                        ErrorCategory.InvalidResult,
                        (object?)result.Last ?? id,
                        $"Deployment {id} reported an error: {result.Error}"), result.RecentLog, $"See where it stands: Get-KernelDeployment -Id {id}; follow it again: Wait-KernelDeployment -Id {id}"));
                    break;
                default:
                    cmdlet.WriteError(ErrorCatalog.Create(
                        ErrorCatalog.DeploymentWaitTimeout,
                        ErrorCategory.OperationTimeout,
                        (object?)result.Last ?? id,
                        $"Deployment {id} did not settle within {timeout} (status: {result.Last?.Status ?? "not reported yet"}). It may still finish: Wait-KernelDeployment -Id {id}"));
                    break;
            }
        }

        public static void Write(KernelCmdlet cmdlet, FollowResult<KernelInvocation> result, TimeSpan timeout)
        {
            var id = result.Id;
            switch (result.Outcome)
            {
                case FollowOutcome.Succeeded:
                    cmdlet.WriteObject(result.Last);
                    break;
                case FollowOutcome.Failed:
                    WriteFailed(cmdlet, result.Last!, result);
                    break;
                case FollowOutcome.StreamError:
                    cmdlet.WriteError(WithRecentLog(ErrorCatalog.Create(
                        ErrorCatalog.InvocationStreamError,
                        ErrorCategory.InvalidResult,
                        (object?)result.Last ?? id,
                        $"Invocation {id} reported an error: {result.Error}"), result.RecentLog, $"See where it stands: Get-KernelInvocation -Id {id}"));
                    break;
                default:
                    cmdlet.WriteError(ErrorCatalog.Create(
                        ErrorCatalog.InvocationWaitTimeout,
                        ErrorCategory.OperationTimeout,
                        (object?)result.Last ?? id,
                        $"Invocation {id} did not finish within {timeout} (status: {result.Last?.Status ?? "not reported yet"}). It is still running on Kernel: Wait-KernelInvocation -Id {id}, or Stop-KernelInvocation -Id {id}"));
                    break;
            }
        }

        /// <summary>An invocation that ended failed: the error carries it, its output and its last log lines.</summary>
        public static void WriteFailed(KernelCmdlet cmdlet, KernelInvocation invocation, FollowResult<KernelInvocation>? result = null)
        {
            var detail = string.IsNullOrEmpty(invocation.OutputJson) ? invocation.StatusReason ?? "no reason given" : invocation.OutputJson;
            var record = ErrorCatalog.Create(
                ErrorCatalog.InvocationFailed,
                ErrorCategory.InvalidResult,
                invocation,
                $"Invocation {invocation.Id} of {invocation.AppName}/{invocation.ActionName} failed: {detail}");
            cmdlet.WriteError(WithRecentLog(record, result?.RecentLog ?? Array.Empty<KernelLogEntry>(), $"See it whole: Get-KernelInvocation -Id {invocation.Id} | Format-List *"));
        }

        /// <summary>
        /// The last log lines go under the message, indented as a block; RecommendedAction says what to run next.
        /// The exception's own message stays one line, for scripts that match on it.
        /// </summary>
        private static ErrorRecord WithRecentLog(ErrorRecord record, System.Collections.Generic.IReadOnlyList<KernelLogEntry> recentLog, string next)
        {
            var message = record.Exception.Message;
            if (recentLog.Count > 0)
            {
                message += Environment.NewLine + "Last log lines:" + string.Concat(recentLog.Select(l => Environment.NewLine + "    " + l.Message));
            }

            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = next };
            return record;
        }
    }
}
