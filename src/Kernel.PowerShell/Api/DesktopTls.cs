using System;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Windows PowerShell 5.1 runs on .NET Framework, whose ServicePointManager may still offer only SSL 3 and TLS 1.0
    /// (older hosts, or a process that set it): the API needs TLS 1.2. It is added, never anything removed, and
    /// never on PowerShell 7, where the operating system chooses.
    /// </summary>
    internal static class DesktopTls
    {
        // ExecutionAndPublication: the first caller changes the setting and every concurrent caller (another
        // runspace's first client) waits until it has, so no request is sent before TLS 1.2 is on offer.
        private static readonly Lazy<string?> Change = new Lazy<string?>(AddTls12, LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>
        /// Once per process, on .NET Framework, before the first request: adds TLS 1.2 if it is missing. Returns what
        /// it changed (for the Debug stream of each session's first request), or null when nothing was changed.
        /// </summary>
        public static string? EnsureTls12() => Change.Value;

        private static string? AddTls12()
        {
            if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                return null;
            }

            var before = ServicePointManager.SecurityProtocol;
            var after = WithTls12(before);
            if (after == before)
            {
                return null;
            }

            ServicePointManager.SecurityProtocol = after;
            return $"Windows PowerShell: added TLS 1.2 to ServicePointManager.SecurityProtocol ({before} became {after}); nothing was removed.";
        }

        /// <summary>The protocols with TLS 1.2 added; SystemDefault (0) lets the operating system choose, TLS 1.2 included, and stays.</summary>
        internal static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
            current == 0 || (current & SecurityProtocolType.Tls12) != 0 ? current : current | SecurityProtocolType.Tls12;
    }
}
