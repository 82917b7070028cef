using System.Linq;
using System.Management.Automation;
using Kernel.PowerShell.Emulator;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Stop-KernelEmulator: stops emulators; by default every one this runspace started. One described by a hashtable (started elsewhere) is left running, with a warning.</summary>
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
                if (emulator.Process == null)
                {
                    WriteWarning($"Left the emulator at {emulator.BaseUri} running: Start-KernelEmulator did not start it, so there is no process of this session to stop. Stop it where it was started.");
                    continue;
                }

                if (ShouldProcess($"{emulator.BaseUri} (process {emulator.ProcessId})", "Stop the Kernel emulator"))
                {
                    EmulatorLauncher.Stop(emulator);
                    EmulatorRegistry.Started.Remove(emulator);
                }
            }
        }
    }
}
