using System;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that wait on an invocation. Ctrl+C ends the wait at once; the invocation itself
    /// goes on running on Kernel unless an interactive user says to cancel it there too. A host that cannot
    /// ask (CI, -NonInteractive) is told how to stop it.
    /// </summary>
    public abstract class InvocationCmdlet : KernelSessionCmdlet
    {
        private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(30);
        private readonly object _gate = new object();
        private KernelApiClient? _client;
        private string? _invocationId;
        private string? _lookup;

        /// <summary>While set, Ctrl+C offers to cancel this invocation on the server.</summary>
        internal void Watching(KernelApiClient client, string invocationId)
        {
            lock (_gate)
            {
                _client = client;
                _invocationId = invocationId;
                _lookup = null;
            }
        }

        /// <summary>While set, Ctrl+C says how to find an invocation whose id is not known yet (a sync invoke).</summary>
        internal void WatchingUnknown(string lookupCommand)
        {
            lock (_gate)
            {
                _client = null;
                _invocationId = null;
                _lookup = lookupCommand;
            }
        }

        internal void NotWatching()
        {
            lock (_gate)
            {
                _client = null;
                _invocationId = null;
                _lookup = null;
            }
        }

        protected override void StopProcessing()
        {
            base.StopProcessing();
            KernelApiClient? client;
            string? id;
            string? lookup;
            lock (_gate)
            {
                client = _client;
                id = _invocationId;
                lookup = _lookup;
            }

            if (id != null && client != null)
            {
                if (Ask($"Invocation {id} is still running on Kernel. Cancel it there too?"))
                {
                    CancelOnServer(client, id);
                }
                else
                {
                    TellHost($"Invocation {id} is still running on Kernel. Stop it with: Stop-KernelInvocation -Id {id}");
                }
            }
            else if (lookup != null)
            {
                TellHost($"The invocation may still be running on Kernel. Find and stop it with: {lookup} | Stop-KernelInvocation");
            }
        }

        /// <summary>A yes/no question on an interactive host; false when the host cannot ask.</summary>
        private bool Ask(string question)
        {
            try
            {
                var choices = new Collection<ChoiceDescription>
                {
                    new ChoiceDescription("&Yes", "Cancel the invocation on Kernel and delete its browsers."),
                    new ChoiceDescription("&No", "Leave it running."),
                };
                return Host?.UI != null && Host.UI.PromptForChoice("Stop the invocation?", question, choices, 1) == 0;
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException || ex is InvalidOperationException)
            {
                return false;
            }
        }

        private void CancelOnServer(KernelApiClient client, string id)
        {
            using var limit = new CancellationTokenSource(CancelTimeout);
            try
            {
                // StopProcessing is itself synchronous: this is its one wait, bounded by CancelTimeout.
                client.UpdateInvocationAsync(id, InvocationStatus.Failed, KernelApiClient.CancelOutput, NullObserver.Instance, limit.Token).GetAwaiter().GetResult();
                client.DeleteInvocationBrowsersAsync(id, NullObserver.Instance, limit.Token).GetAwaiter().GetResult();
                TellHost($"Cancelled invocation {id} on Kernel and deleted its browsers.");
            }
            catch (Exception ex)
            {
                TellHost($"Could not cancel invocation {id} ({ex.Message}). Stop it with: Stop-KernelInvocation -Id {id}");
            }
        }
    }
}
