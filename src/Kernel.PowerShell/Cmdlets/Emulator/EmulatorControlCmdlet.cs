using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Emulator;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that steer a running emulator through its test controls: they take the emulator from
    /// the pipeline or -Emulator, else the one this runspace started last.
    /// </summary>
    public abstract class EmulatorControlCmdlet : KernelCmdlet
    {
        /// <summary>The emulator, as Start-KernelEmulator returned it; by default the one this runspace started last.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public KernelEmulator? Emulator { get; set; }

        /// <summary>The emulator to act on (see <see cref="Emulator"/>); terminates when there is none.</summary>
        internal KernelEmulator ResolveEmulator()
        {
            var emulator = Emulator ?? EmulatorRegistry.Started.LastOrDefault(e => !e.HasExited);
            if (emulator == null)
            {
                ThrowTerminatingError(ErrorCatalog.Create(
                    ErrorCatalog.NoEmulator,
                    ErrorCategory.ObjectNotFound,
                    null,
                    "No Kernel emulator to steer: pass -Emulator (or pipe the object Start-KernelEmulator returned), or start one with Start-KernelEmulator."));
            }

            return emulator!;
        }

        /// <summary>Runs one control call against the emulator; a failure is a non-terminating error aimed at it.</summary>
        internal void Control(string activity, Func<EmulatorControl, CancellationToken, Task> call)
        {
            var emulator = ResolveEmulator();
            try
            {
                Run(activity, async (observer, token) =>
                {
                    await call(new EmulatorControl(emulator.BaseUri), token).ConfigureAwait(false);
                    return true;
                });
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, emulator);
            }
        }

        /// <summary><see cref="Control"/> once ShouldProcess agrees to <paramref name="action"/> on the emulator.</summary>
        internal void ControlIfConfirmed(string action, string activity, Func<EmulatorControl, CancellationToken, Task> call)
        {
            if (ShouldProcess(ResolveEmulator().BaseUri.ToString(), action))
            {
                Control(activity, call);
            }
        }

        /// <summary>Like <see cref="Control"/> for calls that answer; default(T) after a failure.</summary>
        internal T? Query<T>(string activity, Func<EmulatorControl, CancellationToken, Task<T>> call)
            where T : class
        {
            var emulator = ResolveEmulator();
            try
            {
                return Run(activity, (observer, token) => call(new EmulatorControl(emulator.BaseUri), token));
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, emulator);
                return null;
            }
        }
    }
}
