using System;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Start-KernelBrowserReplay: starts recording a browser session as video.</summary>
    [Cmdlet(VerbsLifecycle.Start, "KernelBrowserReplay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelBrowserReplay))]
    public sealed class StartKernelBrowserReplayCommand : BrowserReplayCmdlet
    {
        /// <summary>Frames a second, 1 to 60 (above 20 needs a GPU browser).</summary>
        [Parameter]
        [ValidateRange(1, 60)]
        public int? Framerate { get; set; }

        /// <summary>Stop recording after this long.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? MaxDuration { get; set; }

        /// <summary>Record the audio too.</summary>
        [Parameter]
        public SwitchParameter RecordAudio { get; set; }

        protected override void ProcessRecord()
        {
            if (MaxDuration is { } limit)
            {
                RequirePositive(limit, nameof(MaxDuration));
            }

            var session = ResolveSession();
            if (!ShouldProcess($"browser {Browser} on {session.BaseUri}", "Start recording"))
            {
                return;
            }

            try
            {
                WriteObject(Run($"Starting a replay of browser {Browser}", async (observer, token) =>
                {
                    var browserId = await BrowserIdAsync(session.Client, observer, token).ConfigureAwait(false);
                    var seconds = MaxDuration is { } max ? (int)Math.Ceiling(max.TotalSeconds) : (int?)null;
                    return await session.Client.StartReplayAsync(browserId, Framerate, seconds, RecordAudio, observer, token).ConfigureAwait(false);
                }));
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, Browser.ToString());
            }
        }
    }
}
