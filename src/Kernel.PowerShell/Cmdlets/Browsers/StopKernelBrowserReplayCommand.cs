using System;
using System.Linq;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Stop-KernelBrowserReplay: stops recordings and has Kernel keep the video; without -ReplayId, every recording of the browser.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "KernelBrowserReplay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelBrowserReplay))]
    public sealed class StopKernelBrowserReplayCommand : BrowserReplayCmdlet
    {
        /// <summary>The replays to stop; binds from the ReplayId of piped replays. Without it, all that are recording.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public string[]? ReplayId { get; set; }

        /// <summary>Write the stopped replays to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            var what = ReplayId == null ? $"every recording of browser {Browser}" : $"replay {string.Join(", ", ReplayId)} of browser {Browser}";
            if (!ShouldProcess($"{what} on {session.BaseUri}", "Stop recording"))
            {
                return;
            }

            try
            {
                var stopped = Run("Stopping " + what, async (observer, token) =>
                {
                    var browserId = await BrowserIdAsync(session.Client, observer, token).ConfigureAwait(false);
                    var ids = ReplayId ?? (await session.Client.ListReplaysAsync(browserId, observer, token).ConfigureAwait(false)).Where(r => r.FinishedAt == null).Select(r => r.ReplayId).ToArray();
                    foreach (var id in ids)
                    {
                        await session.Client.StopReplayAsync(browserId, id, observer, token).ConfigureAwait(false);
                    }

                    return PassThru
                        ? (await session.Client.ListReplaysAsync(browserId, observer, token).ConfigureAwait(false)).Where(r => ids.Contains(r.ReplayId)).ToList()
                        : null;
                });
                WriteVerbose($"Stopped {what}.");
                if (stopped != null)
                {
                    WriteObject(stopped, enumerateCollection: true);
                }
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, ReplayId == null ? Browser.ToString() : string.Join(", ", ReplayId));
            }
        }
    }
}
