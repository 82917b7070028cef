using System;
using System.Linq;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelBrowserReplay: a browser session's recordings, finished and in progress.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelBrowserReplay")]
    [OutputType(typeof(KernelBrowserReplay))]
    public sealed class GetKernelBrowserReplayCommand : BrowserReplayCmdlet
    {
        /// <summary>Only these replays.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public string[]? ReplayId { get; set; }

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            try
            {
                var replays = Run($"Listing the replays of browser {Browser}", async (observer, token) =>
                    await client.ListReplaysAsync(await BrowserIdAsync(client, observer, token).ConfigureAwait(false), observer, token).ConfigureAwait(false));
                WriteObject(replays.Where(r => ReplayId == null || ReplayId.Contains(r.ReplayId, StringComparer.OrdinalIgnoreCase)), enumerateCollection: true);
                foreach (var missing in ReplayId?.Where(id => replays.All(r => !string.Equals(r.ReplayId, id, StringComparison.OrdinalIgnoreCase))) ?? Enumerable.Empty<string>())
                {
                    WriteFailure(new KernelObjectNotFoundException("replay", missing, byName: false), missing);
                }
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, Browser.ToString());
            }
        }
    }
}
