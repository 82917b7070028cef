using System;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Windows PowerShell 5.1 runs on .NET Framework, whose ServicePointManager may still offer only SSL 3 and TLS 1.0
    /// (older hosts, or a process that set it): the API needs TLS 1.2. It is added, never anything removed, and
    /// never on PowerShell 7, where the operating system chooses.
    /// </summary>
    internal static class DesktopTls
    {
        private static int s_done;
        private static string? s_change;

        /// <summary>Once per process, on .NET Framework; says what it changed on the Debug stream of every session's first request.</summary>
        public static void EnsureTls12(IOperationObserver observer, ref bool told)
        {
            if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                return;
            }

            if (Interlocked.Exchange(ref s_done, 1) == 0)
            {
                var before = ServicePointManager.SecurityProtocol;
                var after = WithTls12(before);
                if (after != before)
                {
                    ServicePointManager.SecurityProtocol = after;
                    Volatile.Write(ref s_change, $"Windows PowerShell: added TLS 1.2 to ServicePointManager.SecurityProtocol ({before} became {after}); nothing was removed.");
                }
            }

            if (!told && Volatile.Read(ref s_change) is { } change)
            {
                told = true;
                observer.Debug(change);
            }
        }

        /// <summary>The protocols with TLS 1.2 added; SystemDefault (0) lets the operating system choose, TLS 1.2 included, and stays.</summary>
        internal static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
            current == 0 || (current & SecurityProtocolType.Tls12) != 0 ? current : current | SecurityProtocolType.Tls12;
    }
}
