using System;
using System.Diagnostics;
using System.Security;

namespace Kernel.PowerShell
{
    /// <summary>A running local Kernel emulator started by Start-KernelEmulator.</summary>
    public sealed class KernelEmulator
    {
        internal KernelEmulator(Uri baseUri, SecureString apiKey, Process process, string path)
        {
            BaseUri = baseUri;
            ApiKey = apiKey;
            Process = process;
            ProcessId = process.Id;
            Path = path;
            StartedAt = DateTimeOffset.Now;
        }

        /// <summary>Where the emulator serves the Kernel API, e.g. http://127.0.0.1:41235/.</summary>
        public Uri BaseUri { get; }

        /// <summary>The API key the emulator accepts: pass it to Connect-Kernel -ApiKey.</summary>
        public SecureString ApiKey { get; }

        public int ProcessId { get; }

        /// <summary>The emulator program that was started.</summary>
        public string Path { get; }

        public DateTimeOffset StartedAt { get; }

        public bool HasExited
        {
            get
            {
                try
                {
                    return Process.HasExited;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        internal Process Process { get; }

        public override string ToString() => BaseUri.ToString();
    }
}
