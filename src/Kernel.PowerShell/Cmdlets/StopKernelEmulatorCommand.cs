using System.Linq;
using System.Management.Automation;
using Kernel.PowerShell.Emulator;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Stop-KernelEmulator: stops emulators; by default every one this runspace started.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "KernelEmulator", SupportsShouldProcess = true)]
    [OutputType(typeof(void))]
    public sealed class StopKernelEmulatorCommand : KernelCmdlet
    {
        /// <summary>The emulators to stop, as Start-KernelEmulator returned them.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public KernelEmulator[]? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var emulator in InputObject ?? EmulatorRegistry.Started.ToArray())
            {
                if (ShouldProcess($"{emulator.BaseUri} (process {emulator.ProcessId})", "Stop the Kernel emulator"))
                {
                    EmulatorLauncher.Stop(emulator);
                    EmulatorRegistry.Started.Remove(emulator);
                }
            }
        }
    }
}
