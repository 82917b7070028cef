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
        private static readonly Subject<KernelDeployment> Deployments = new Subject<KernelDeployment>(
            "Deployment",
            ErrorCatalog.DeploymentStreamError,
            ErrorCatalog.DeploymentWaitTimeout,
            d => d.Status,
            deployment => ErrorCatalog.Create(
                ErrorCatalog.DeploymentFailed,
                ErrorCategory.InvalidResult,
                deployment,
                $"Deployment {deployment.Id} {deployment.Status}: {(string.IsNullOrEmpty(deployment.StatusReason) ? "no reason given" : deployment.StatusReason)}"),
            (id, timeout, status) => $"did not settle within {timeout} (status: {status}). It may still finish: Wait-KernelDeployment -Id {id}");

        private static readonly Subject<KernelInvocation> Invocations = new Subject<KernelInvocation>(
            "Invocation",
            ErrorCatalog.InvocationStreamError,
            ErrorCatalog.InvocationWaitTimeout,
            i => i.Status,
            Failed,
            (id, timeout, status) => $"did not finish within {timeout} (status: {status}). It is still running on Kernel: Wait-KernelInvocation -Id {id}, or Stop-KernelInvocation -Id {id}");

        public static void Write(KernelCmdlet cmdlet, FollowResult<KernelDeployment> result, TimeSpan timeout) => Write(cmdlet, result, timeout, Deployments);

        public static void Write(KernelCmdlet cmdlet, FollowResult<KernelInvocation> result, TimeSpan timeout) => Write(cmdlet, result, timeout, Invocations);

        /// <summary>An invocation that ended failed: the error carries it, its output and its last log lines.</summary>
        public static void WriteFailed(KernelCmdlet cmdlet, KernelInvocation invocation) => cmdlet.WriteError(Failed(invocation));

        private static ErrorRecord Failed(KernelInvocation invocation) => ErrorCatalog.Create(
            ErrorCatalog.InvocationFailed,
            ErrorCategory.InvalidResult,
            invocation,
            $"Invocation {invocation.Id} of {invocation.AppName}/{invocation.ActionName} failed: {(string.IsNullOrEmpty(invocation.OutputJson) ? invocation.StatusReason ?? "no reason given" : invocation.OutputJson)}");

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
                    cmdlet.WriteError(WithRecentLog(subject.Failed(result.Last!), result.RecentLog));
                    break;
                case FollowOutcome.StreamError:
                    cmdlet.WriteError(WithRecentLog(ErrorCatalog.Create(
                        subject.StreamErrorId,
                        ErrorCategory.InvalidResult,
                        (object?)result.Last ?? id,
                        $"{subject.Noun} {id} reported an error: {result.Error}"), result.RecentLog));
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

        /// <summary>Puts the last log lines in the error's RecommendedAction, where $Error shows them.</summary>
        private static ErrorRecord WithRecentLog(ErrorRecord record, IReadOnlyList<KernelLogEntry> recentLog)
        {
            if (recentLog.Count > 0)
            {
                record.ErrorDetails = new ErrorDetails(record.Exception.Message)
                {
                    RecommendedAction = "Last log lines:" + Environment.NewLine + string.Join(Environment.NewLine, recentLog.Select(l => l.Message)),
                };
            }

            return record;
        }

        /// <summary>What differs between the ends of following a deployment and an invocation: words and ErrorIds.</summary>
        private sealed class Subject<T>
        {
            public Subject(string noun, string streamErrorId, string timeoutErrorId, Func<T, string> statusOf, Func<T, ErrorRecord> failed, Func<string, TimeSpan, string, string> timedOut)
            {
                Noun = noun;
                StreamErrorId = streamErrorId;
                TimeoutErrorId = timeoutErrorId;
                StatusOf = statusOf;
                Failed = failed;
                TimedOut = timedOut;
            }

            public string Noun { get; }

            public string StreamErrorId { get; }

            public string TimeoutErrorId { get; }

            public Func<T, string> StatusOf { get; }

            public Func<T, ErrorRecord> Failed { get; }

            /// <summary>The rest of the timeout message after "&lt;Noun&gt; &lt;id&gt; ": (id, timeout, status).</summary>
            public Func<string, TimeSpan, string, string> TimedOut { get; }
        }
    }
}
