using System.Collections.Generic;
using Kernel.PowerShell.Emulator;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>The emulators started from this runspace, which Stop-KernelEmulator stops when given none.</summary>
    internal static class EmulatorRegistry
    {
        private static readonly RunspaceState<List<KernelEmulator>> Lists = new RunspaceState<List<KernelEmulator>>();

        public static List<KernelEmulator> Started => Lists.Current;
    }
}
