using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Save-KernelBrowserReplay: downloads a replay's video (MP4) to a file, streamed with progress; waits while
    /// the replay is still being recorded or written, up to -Timeout.
    /// </summary>
    [Cmdlet(VerbsData.Save, "KernelBrowserReplay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(System.IO.FileInfo))]
    public sealed class SaveKernelBrowserReplayCommand : BrowserReplayCmdlet
    {
        /// <summary>The replay; binds from the ReplayId of piped replays.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public string ReplayId { get; set; } = null!;

        /// <summary>A file, or an existing folder to put &lt;ReplayId&gt;.mp4 in.</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = null!;

        /// <summary>Replace a file that is already there.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the saved file (FileInfo) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How long to wait while the replay is still recording or being written (202).</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);

        protected override void ProcessRecord()
        {
            RequirePositive(Timeout, nameof(Timeout));
            var client = ResolveClient();
            if (FileSaving.ResolveDestination(this, Destination, ReplayId + ".mp4", Force) is { } path)
            {
                FileSaving.Save(this, $"replay {ReplayId}", ReplayId, path, Force, PassThru, async (file, observer, token) =>
                    await client.DownloadReplayAsync(await BrowserIdAsync(client, observer, token).ConfigureAwait(false), ReplayId, file, Timeout, observer, token).ConfigureAwait(false));
            }
        }
    }
}
