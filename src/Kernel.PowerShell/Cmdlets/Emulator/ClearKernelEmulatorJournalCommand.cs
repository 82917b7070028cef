using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Clear-KernelEmulatorJournal: forgets the requests received so far, so a test sees only its own.</summary>
    [Cmdlet(VerbsCommon.Clear, "KernelEmulatorJournal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class ClearKernelEmulatorJournalCommand : EmulatorControlCmdlet
    {
        protected override void ProcessRecord() =>
            ControlIfConfirmed("Forget every journaled request", "Clearing the Kernel emulator's journal", (control, token) => control.ClearJournalAsync(token));
    }
}
