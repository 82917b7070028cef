using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Clear-KernelEmulatorOutcome: forgets every scripted outcome, so deployments and invocations end normally again.</summary>
    [Cmdlet(VerbsCommon.Clear, "KernelEmulatorOutcome", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class ClearKernelEmulatorOutcomeCommand : EmulatorControlCmdlet
    {
        protected override void ProcessRecord() =>
            ControlIfConfirmed("Forget every scripted outcome", "Clearing the Kernel emulator's scripted outcomes", (control, token) => control.ClearScriptsAsync(token));
    }
}
