using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelEmulatorFault: the faults the emulator still applies, with how many requests each has left.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelEmulatorFault")]
    [OutputType(typeof(KernelEmulatorFault))]
    public sealed class GetKernelEmulatorFaultCommand : EmulatorControlCmdlet
    {
        protected override void ProcessRecord()
        {
            var faults = Query("Reading the Kernel emulator's faults", (control, token) => control.GetFaultsAsync(token));
            if (faults != null)
            {
                WriteObject(faults, enumerateCollection: true);
            }
        }
    }
}
