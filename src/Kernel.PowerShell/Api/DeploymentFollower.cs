using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    internal enum FollowOutcome
    {
        /// <summary>The deployment reached running.</summary>
        Running,

        /// <summary>The deployment ended failed or stopped.</summary>
        Failed,

        /// <summary>The stream sent an error event.</summary>
        StreamError,

        /// <summary>The caller's time limit passed first.</summary>
        TimedOut,
    }

    internal sealed class FollowResult
    {
        public FollowResult(FollowOutcome outcome, string deploymentId, KernelDeployment? deployment, ApiErrorBody? error, IReadOnlyList<KernelLogEntry> recentLog)
        {
            Outcome = outcome;
            DeploymentId = deploymentId;
            Deployment = deployment;
            Error = error;
            RecentLog = recentLog;
        }

        public FollowOutcome Outcome { get; }

        public string DeploymentId { get; }

        /// <summary>The deployment as last reported (null if no state was seen).</summary>
        public KernelDeployment? Deployment { get; }

        public ApiErrorBody? Error { get; }

        /// <summary>The last log lines seen, oldest first: the context of a failure.</summary>
        public IReadOnlyList<KernelLogEntry> RecentLog { get; }
    }

    /// <summary>
    /// Follows a deployment's events until it settles, the way Kernel's CLI does (kernel-cli.md §2 step 6):
    /// logs go to the observer, running is success, failed/stopped or an error event is failure. When the
    /// server closes the stream early the deployment is looked up, and followed again from the last event
    /// seen if it is still on its way.
    /// </summary>
    internal static class DeploymentFollower
    {
        private const int RecentLogLines = 10;
        private const int MaxConsecutiveStreamFailures = 3;

        public static async Task<FollowResult> FollowAsync(KernelApiClient client, string id, TimeSpan timeout, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                limit.CancelAfter(timeout);
            }

            var recent = new Queue<KernelLogEntry>();
            var seam = new HashSet<string>();
            DateTimeOffset? lastEventAt = null;
            KernelDeployment? last = null;
            FollowResult? result = null;
            var failures = 0;

            bool OnEvent(DeploymentEvent e)
            {
                switch (e)
                {
                    case DeploymentEvent.Log log:
                        var entry = log.Entry;
                        if (lastEventAt.HasValue && entry.Timestamp < lastEventAt.Value)
                        {
                            return true;
                        }

                        if (lastEventAt != entry.Timestamp)
                        {
                            seam.Clear();
                            lastEventAt = entry.Timestamp;
                        }

                        if (!seam.Add(entry.Message))
                        {
                            return true;
                        }

                        observer.Log(entry);
                        recent.Enqueue(entry);
                        if (recent.Count > RecentLogLines)
                        {
                            recent.Dequeue();
                        }

                        return true;
                    case DeploymentEvent.State state:
                        last = state.Deployment;
                        observer.Progress(new OperationProgress(OperationPhase.Wait, 0, 0, $"Deployment {id}: {last.Status}"));
                        if (last.IsSettled)
                        {
                            result = Settled(last, recent);
                            return false;
                        }

                        return true;
                    case DeploymentEvent.AppVersionSummary summary:
                        observer.Information(summary.ActionNames.Count == 0
                            ? $"App '{summary.AppName}' deployed (version {summary.Version}), with no actions."
                            : $"App '{summary.AppName}' deployed (version {summary.Version}); actions: {string.Join(", ", summary.ActionNames)}.");
                        return true;
                    case DeploymentEvent.Error error:
                        result = new FollowResult(FollowOutcome.StreamError, id, last, error.Body, recent.ToArray());
                        return false;
                    case DeploymentEvent.Unknown unknown:
                        observer.Debug($"Ignored an event of unknown kind '{unknown.Kind}' on deployment {id}.");
                        return true;
                    default:
                        return true;
                }
            }

            try
            {
                while (true)
                {
                    try
                    {
                        await client.FollowDeploymentEventsAsync(id, lastEventAt, OnEvent, observer, limit.Token).ConfigureAwait(false);
                        failures = 0;
                    }
                    catch (Exception ex) when ((ex is KernelConnectionException || ex is TimeoutException) && ++failures < MaxConsecutiveStreamFailures)
                    {
                        observer.Verbose($"The event stream of deployment {id} broke ({ex.Message}); reconnecting.");
                    }

                    if (result != null)
                    {
                        return result;
                    }

                    last = await client.GetDeploymentAsync(id, observer, limit.Token).ConfigureAwait(false);
                    if (last.IsSettled)
                    {
                        return Settled(last, recent);
                    }

                    observer.Verbose($"The event stream of deployment {id} closed while it was {last.Status}; following it again.");
                    await Task.Delay(TimeSpan.FromSeconds(1), limit.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
            {
                observer.Progress(new OperationProgress(OperationPhase.Wait, 0, 0, "Timed out", completed: true));
                return new FollowResult(FollowOutcome.TimedOut, id, last, null, recent.ToArray());
            }
        }

        private static FollowResult Settled(KernelDeployment deployment, Queue<KernelLogEntry> recent) =>
            new FollowResult(
                DeploymentStatus.IsFailure(deployment.Status) ? FollowOutcome.Failed : FollowOutcome.Running,
                deployment.Id,
                deployment,
                null,
                recent.ToArray());
    }
}
