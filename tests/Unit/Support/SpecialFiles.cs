using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>Named pipes and sockets in an app folder: what a walk must leave out without opening.</summary>
public static class SpecialFiles
{
    public static void MakeFifo(string path)
    {
        if (mkfifo(path, Convert.ToUInt32("644", 8)) != 0)
        {
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>A listening Unix socket at <paramref name="path"/>; dispose it to close (the socket file stays).</summary>
    public static Socket MakeSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>
    /// Releases whoever is blocked opening the pipe for reading, by opening it for writing without blocking: with no
    /// reader waiting the open fails at once (ENXIO) instead of leaving a thread stuck in it.
    /// </summary>
    public static void Unblock(string fifo)
    {
        const int WriteOnlyNonBlocking = 0x1 | 0x800; // O_WRONLY | O_NONBLOCK (Linux)
        var descriptor = open(fifo, WriteOnlyNonBlocking);
        if (descriptor >= 0)
        {
            close(descriptor);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);

    [DllImport("libc")]
    private static extern int close(int descriptor);
}
