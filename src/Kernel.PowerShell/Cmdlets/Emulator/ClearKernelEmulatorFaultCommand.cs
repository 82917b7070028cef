using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Clear-KernelEmulatorFault: removes every fault, so the emulator answers normally again.</summary>
    [Cmdlet(VerbsCommon.Clear, "KernelEmulatorFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class ClearKernelEmulatorFaultCommand : EmulatorControlCmdlet
    {
        protected override void ProcessRecord() =>
            ControlIfConfirmed("Remove every fault", "Clearing the Kernel emulator's faults", (control, token) => control.ClearFaultsAsync(token));
    }
}
