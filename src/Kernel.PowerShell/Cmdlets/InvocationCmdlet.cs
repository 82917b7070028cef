using System;
using System.Management.Automation;
using System.Threading;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that wait on an invocation. Ctrl+C ends the wait at once and changes nothing on Kernel,
    /// unless -CancelOnStop asked for the invocation to be cancelled there too; otherwise the user is told the
    /// command that would. Nothing is ever asked from the thread that stops the pipeline.
    /// </summary>
    public abstract class InvocationCmdlet : KernelSessionCmdlet
    {
        private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);

        /// <summary>On Ctrl+C during the wait, also cancel the invocation on Kernel (failed, browsers deleted), as the CLI does.</summary>
        [Parameter]
        public SwitchParameter CancelOnStop { get; set; }

        /// <summary>Follows one invocation to its end and writes how it ended.</summary>
        internal void FollowInvocation(KernelApiClient client, string id, TimeSpan timeout, object target)
        {
            try
            {
                var result = Run("Waiting for invocation " + id, (observer, token) => Follower.FollowInvocationAsync(client, id, timeout, observer, token));
                FollowOutcomes.Write(this, result, timeout);
            }
            catch (PipelineStoppedException) when (IsStopping)
            {
                AfterStop(client, id);
                throw;
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteResumable(ex, target, $"Following invocation {id} failed", $"Wait-KernelInvocation -Id {id}");
            }
        }

        private void AfterStop(KernelApiClient client, string id)
        {
            if (!CancelOnStop)
            {
                TellHost($"Stopped waiting; invocation {id} goes on on Kernel. Cancel it with: Stop-KernelInvocation -Id {id}");
                return;
            }

            using var limit = new CancellationTokenSource(CancelTimeout);
            try
            {
                // The pipeline is stopping, so Run is over: this one bounded wait happens here, on the pipeline thread.
                var (invocation, cancelled) = client.CancelInvocationAsync(id, NullObserver.Instance, limit.Token).GetAwaiter().GetResult();
                TellHost(cancelled
                    ? $"Cancelled invocation {id} on Kernel and deleted its browsers (-CancelOnStop)."
                    : $"Invocation {id} had already {invocation.Status}; left unchanged.");
            }
            catch (Exception ex)
            {
                TellHost($"Could not cancel invocation {id} ({ex.Message}). Cancel it with: Stop-KernelInvocation -Id {id}");
            }
        }
    }
}
