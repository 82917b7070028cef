using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>How the end of a follow reaches the pipeline: the object on success, one ErrorRecord otherwise.</summary>
    internal static class FollowOutcomes
    {
        private static readonly Subject<KernelDeployment> Deployments = new Subject<KernelDeployment>
        {
            Noun = "Deployment",
            StreamErrorId = ErrorCatalog.DeploymentStreamError,
            TimeoutErrorId = ErrorCatalog.DeploymentWaitTimeout,
            StatusOf = d => d.Status,
            Failed = deployment => ErrorCatalog.Create(
                ErrorCatalog.DeploymentFailed,
                ErrorCategory.InvalidResult,
                deployment,
                $"Deployment {deployment.Id} {deployment.Status}: {(string.IsNullOrEmpty(deployment.StatusReason) ? "no reason given" : deployment.StatusReason)}"),
            FailedNext = deployment => $"Read its whole log: Get-KernelDeploymentLog -Id {deployment.Id}",
            StreamNext = id => $"See where it stands: Get-KernelDeployment -Id {id}; follow it again: Wait-KernelDeployment -Id {id}",
            TimedOut = (id, timeout, status) => $"did not settle within {timeout} (status: {status}). It may still finish: Wait-KernelDeployment -Id {id}",
        };

        private static readonly Subject<KernelInvocation> Invocations = new Subject<KernelInvocation>
        {
            Noun = "Invocation",
            StreamErrorId = ErrorCatalog.InvocationStreamError,
            TimeoutErrorId = ErrorCatalog.InvocationWaitTimeout,
            StatusOf = i => i.Status,
            Failed = invocation => ErrorCatalog.Create(
                ErrorCatalog.InvocationFailed,
                ErrorCategory.InvalidResult,
                invocation,
                $"Invocation {invocation.Id} of {invocation.AppName}/{invocation.ActionName} failed: {(string.IsNullOrEmpty(invocation.OutputJson) ? invocation.StatusReason ?? "no reason given" : invocation.OutputJson)}"),
            FailedNext = invocation => $"See it whole: Get-KernelInvocation -Id {invocation.Id} | Format-List *",
            StreamNext = id => $"See where it stands: Get-KernelInvocation -Id {id}",
            TimedOut = (id, timeout, status) => $"did not finish within {timeout} (status: {status}). It is still running on Kernel: Wait-KernelInvocation -Id {id}, or Stop-KernelInvocation -Id {id}",
        };

        /// <summary>
        /// A deployment that came up is preceded by the summary line on the host (<see cref="DeploymentSummary"/>):
        /// <paramref name="took"/> (by default Kernel's own time from creation to running) and <paramref name="sent"/>.
        /// </summary>
        public static void Write(KernelCmdlet cmdlet, FollowResult<KernelDeployment> result, TimeSpan timeout, TimeSpan? took = null, string? sent = null)
        {
            if (result.Outcome == FollowOutcome.Succeeded)
            {
                cmdlet.WriteHostInformation(DeploymentSummary.Describe(result.Last!, took ?? DeploymentSummary.Took(result.Last!), sent), DeploymentSummary.Tag);
            }

            Write(cmdlet, result, timeout, Deployments);
        }

        public static void Write(KernelCmdlet cmdlet, FollowResult<KernelInvocation> result, TimeSpan timeout) => Write(cmdlet, result, timeout, Invocations);

        /// <summary>An invocation that ended failed: the error carries it and its output.</summary>
        public static void WriteFailed(KernelCmdlet cmdlet, KernelInvocation invocation) =>
            cmdlet.WriteError(WithRecentLog(Invocations.Failed(invocation), Array.Empty<KernelLogEntry>(), Invocations.FailedNext(invocation)));

        private static void Write<T>(KernelCmdlet cmdlet, FollowResult<T> result, TimeSpan timeout, Subject<T> subject)
            where T : class
        {
            var id = result.Id;
            switch (result.Outcome)
            {
                case FollowOutcome.Succeeded:
                    cmdlet.WriteObject(result.Last);
                    break;
                case FollowOutcome.Failed:
                    cmdlet.WriteError(WithRecentLog(subject.Failed(result.Last!), result.RecentLog, subject.FailedNext(result.Last!)));
                    break;
                case FollowOutcome.StreamError:
                    cmdlet.WriteError(WithRecentLog(ErrorCatalog.Create(
                        subject.StreamErrorId,
                        ErrorCategory.InvalidResult,
                        (object?)result.Last ?? id,
                        $"{subject.Noun} {id} reported an error: {result.Error}"), result.RecentLog, subject.StreamNext(id)));
                    break;
                default:
                    cmdlet.WriteError(ErrorCatalog.Create(
                        subject.TimeoutErrorId,
                        ErrorCategory.OperationTimeout,
                        (object?)result.Last ?? id,
                        $"{subject.Noun} {id} {subject.TimedOut(id, timeout, result.Last == null ? "not reported yet" : subject.StatusOf(result.Last))}"));
                    break;
            }
        }

        /// <summary>
        /// The last log lines go under the message, indented as a block; RecommendedAction says what to run next.
        /// The exception's own message stays one line, for scripts that match on it.
        /// </summary>
        private static ErrorRecord WithRecentLog(ErrorRecord record, IReadOnlyList<KernelLogEntry> recentLog, string next)
        {
            var message = record.Exception.Message;
            if (recentLog.Count > 0)
            {
                message += Environment.NewLine + "Last log lines:" + string.Concat(recentLog.Select(l => Environment.NewLine + "    " + l.Message));
            }

            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = next };
            return record;
        }

        /// <summary>What differs between the ends of following a deployment and an invocation: words, ErrorIds, what to run next.</summary>
        private sealed class Subject<T>
        {
            public string Noun { get; set; } = string.Empty;

            public string StreamErrorId { get; set; } = string.Empty;

            public string TimeoutErrorId { get; set; } = string.Empty;

            public Func<T, string> StatusOf { get; set; } = null!;

            public Func<T, ErrorRecord> Failed { get; set; } = null!;

            public Func<T, string> FailedNext { get; set; } = null!;

            public Func<string, string> StreamNext { get; set; } = null!;

            /// <summary>The rest of the timeout message after "&lt;Noun&gt; &lt;id&gt; ": (id, timeout, status).</summary>
            public Func<string, TimeSpan, string, string> TimedOut { get; set; } = null!;
        }
    }
}
