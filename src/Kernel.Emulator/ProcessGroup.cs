using System.Runtime.InteropServices;

namespace Kernel.Emulator;

/// <summary>
/// Keeps keys pressed in a terminal from reaching an emulator that a PowerShell session started. The terminal sends
/// Ctrl+C (SIGINT), Ctrl+\ and Ctrl+Z to its whole foreground process group, which a child joins by default; an
/// emulator with a parent leaves it for a session of its own and lives until its parent ends or stops it.
/// On Windows there is nothing to leave: the launcher starts it without a console (CreateNoWindow), and console
/// control events go only to processes attached to the console.
/// </summary>
internal static class ProcessGroup
{
    public static void LeaveTerminal()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Fails only for a process that already leads a group (started by a shell as a job of its own): then no
        // foreground group of a terminal holds it either.
        _ = setsid();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setsid();
}
