using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    internal enum FollowOutcome
    {
        /// <summary>The subject reached its success state: a deployment running, an invocation succeeded.</summary>
        Succeeded,

        /// <summary>A deployment failed or stopped; an invocation failed.</summary>
        Failed,

        /// <summary>The stream sent an error event.</summary>
        StreamError,

        /// <summary>The caller's time limit passed first.</summary>
        TimedOut,
    }

    internal sealed class FollowResult<T>
        where T : class
    {
        public FollowResult(FollowOutcome outcome, string id, T? last, ApiErrorBody? error, IReadOnlyList<KernelLogEntry> recentLog)
        {
            Outcome = outcome;
            Id = id;
            Last = last;
            Error = error;
            RecentLog = recentLog;
        }

        public FollowOutcome Outcome { get; }

        public string Id { get; }

        /// <summary>The subject as last reported (null if no state was seen).</summary>
        public T? Last { get; }

        public ApiErrorBody? Error { get; }

        /// <summary>The last log lines seen, oldest first: the context of a failure.</summary>
        public IReadOnlyList<KernelLogEntry> RecentLog { get; }
    }

    /// <summary>
    /// Follows deployments and invocations to a settled state, the way Kernel's CLI does (kernel-cli.md §2, §6):
    /// logs and the state go to the observer; a deployment succeeds at running and fails at failed/stopped, an
    /// invocation succeeds or fails; an error event fails. The app summary is attached to the deployment returned.
    /// </summary>
    internal static class Follower
    {
        public static async Task<FollowResult<KernelDeployment>> FollowDeploymentAsync(KernelApiClient client, string id, TimeSpan timeout, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var limit = Limit(timeout, cancellationToken);
            var follower = new EventFollower(client.Retries);
            KernelDeployment? last = null;
            KernelApp? app = null;
            FollowResult<KernelDeployment>? result = null;

            bool OnEvent(KernelEvent e)
            {
                switch (e)
                {
                    case KernelEvent.Log log:
                        observer.Log(log.Entry);
                        return true;
                    case KernelEvent.DeploymentState state:
                        last = state.Deployment.WithApp(app);
                        observer.Progress(new OperationProgress(OperationPhase.Wait, 0, 0, last.Status));
                        result = Settled(last, follower);
                        return result == null;
                    case KernelEvent.AppVersionSummary summary:
                        app = summary.App;
                        return true;
                    case KernelEvent.Error error:
                        result = new FollowResult<KernelDeployment>(FollowOutcome.StreamError, id, last, error.Body, follower.RecentLog.ToArray());
                        return false;
                    case KernelEvent.Unknown unknown:
                        observer.Debug($"Ignored an event of unknown kind '{unknown.Kind}' on deployment {id}.");
                        return true;
                    default:
                        return true;
                }
            }

            try
            {
                await follower.RunAsync(
                    (since, handler) => client.FollowDeploymentEventsAsync(id, since, handler, observer, limit.Token),
                    OnEvent,
                    async () =>
                    {
                        last = (await client.GetDeploymentAsync(id, observer, limit.Token).ConfigureAwait(false)).WithApp(app);
                        result = Settled(last, follower);
                        return result != null;
                    },
                    "deployment " + id,
                    observer,
                    limit.Token).ConfigureAwait(false);
                return result!;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
            {
                return new FollowResult<KernelDeployment>(FollowOutcome.TimedOut, id, last, null, follower.RecentLog.ToArray());
            }
        }

        public static async Task<FollowResult<KernelInvocation>> FollowInvocationAsync(KernelApiClient client, string id, TimeSpan timeout, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var limit = Limit(timeout, cancellationToken);
            var follower = new EventFollower(client.Retries);
            KernelInvocation? last = null;
            FollowResult<KernelInvocation>? result = null;

            FollowResult<KernelInvocation>? Finished(KernelInvocation invocation) =>
                !invocation.IsFinished
                    ? null
                    : new FollowResult<KernelInvocation>(
                        invocation.Status == InvocationStatus.Succeeded ? FollowOutcome.Succeeded : FollowOutcome.Failed,
                        id,
                        invocation,
                        null,
                        follower.RecentLog.ToArray());

            bool OnEvent(KernelEvent e)
            {
                switch (e)
                {
                    case KernelEvent.Log log:
                        observer.Log(log.Entry);
                        return true;
                    case KernelEvent.InvocationState state:
                        last = state.Invocation;
                        observer.Progress(new OperationProgress(OperationPhase.Wait, 0, 0, last.Status));
                        result = Finished(last);
                        return result == null;
                    case KernelEvent.Error error:
                        result = new FollowResult<KernelInvocation>(FollowOutcome.StreamError, id, last, error.Body, follower.RecentLog.ToArray());
                        return false;
                    case KernelEvent.Unknown unknown:
                        observer.Debug($"Ignored an event of unknown kind '{unknown.Kind}' on invocation {id}.");
                        return true;
                    default:
                        return true;
                }
            }

            try
            {
                await follower.RunAsync(
                    (since, handler) => client.FollowInvocationEventsAsync(id, since, handler, observer, limit.Token),
                    OnEvent,
                    async () =>
                    {
                        last = await client.GetInvocationAsync(id, observer, limit.Token).ConfigureAwait(false);
                        result = Finished(last);
                        return result != null;
                    },
                    "invocation " + id,
                    observer,
                    limit.Token).ConfigureAwait(false);
                return result!;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
            {
                return new FollowResult<KernelInvocation>(FollowOutcome.TimedOut, id, last, null, follower.RecentLog.ToArray());
            }
        }

        private static CancellationTokenSource Limit(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                limit.CancelAfter(timeout);
            }

            return limit;
        }

        private static FollowResult<KernelDeployment>? Settled(KernelDeployment deployment, EventFollower follower) =>
            !deployment.IsSettled
                ? null
                : new FollowResult<KernelDeployment>(
                    DeploymentStatus.IsFailure(deployment.Status) ? FollowOutcome.Failed : FollowOutcome.Succeeded,
                    deployment.Id,
                    deployment,
                    null,
                    follower.RecentLog.ToArray());
    }
}
