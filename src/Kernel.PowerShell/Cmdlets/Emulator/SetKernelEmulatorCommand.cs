using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Set-KernelEmulator: changes a running emulator's pace; what is not given stays as it is.</summary>
    [Cmdlet(VerbsCommon.Set, "KernelEmulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class SetKernelEmulatorCommand : EmulatorControlCmdlet
    {
        /// <summary>How long each deployment and invocation step takes from now on (a TimeSpan or seconds).</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? StepDelay { get; set; }

        /// <summary>How often open event streams send a heartbeat from now on.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? HeartbeatInterval { get; set; }

        protected override void BeginProcessing()
        {
            if (StepDelay < TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, StepDelay, "-StepDelay cannot be negative."));
            }

            if (HeartbeatInterval.HasValue)
            {
                RequirePositive(HeartbeatInterval.Value, nameof(HeartbeatInterval));
            }
        }

        protected override void ProcessRecord()
        {
            var settings = new List<KeyValuePair<string, object?>>();
            if (StepDelay.HasValue)
            {
                settings.Add(new KeyValuePair<string, object?>("step_delay_ms", (long)StepDelay.Value.TotalMilliseconds));
            }

            if (HeartbeatInterval.HasValue)
            {
                settings.Add(new KeyValuePair<string, object?>("heartbeat_ms", (long)HeartbeatInterval.Value.TotalMilliseconds));
            }

            if (settings.Count > 0)
            {
                ControlIfConfirmed("Change " + string.Join(" and ", settings.ConvertAll(s => s.Key)), "Changing the Kernel emulator's settings", (control, token) => control.UpdateSettingsAsync(settings, token));
            }
        }
    }
}
