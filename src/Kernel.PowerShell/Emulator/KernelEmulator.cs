using System;
using System.Collections;
using System.Diagnostics;
using System.Security;

namespace Kernel.PowerShell
{
    /// <summary>A running local Kernel emulator: one Start-KernelEmulator started, or one started elsewhere and described by a hashtable.</summary>
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

        /// <summary>
        /// Describes an emulator started elsewhere (another shell, a CI service container), for the emulator-control
        /// cmdlets to steer: <c>[KernelEmulator]@{ BaseUri = 'http://127.0.0.1:5000/' }</c>. BaseUri is required;
        /// ApiKey (text or a SecureString) is the key it was started with, if any. No process belongs to it:
        /// Stop-KernelEmulator leaves it running.
        /// </summary>
        public KernelEmulator(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelEmulator));
            var baseUri = given.Required<Uri>(nameof(BaseUri));
            if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"KernelEmulator.BaseUri must be an absolute http or https URI, not '{baseUri}'.");
            }

            // Its routes are resolved against it, so it ends with '/', as Start-KernelEmulator's does.
            BaseUri = baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
            ApiKey = given.Secret(nameof(ApiKey));
            ProcessId = given.Optional<int?>(nameof(ProcessId), null);
            Path = given.Optional<string?>(nameof(Path), null);
            StartedAt = given.Optional<DateTimeOffset?>(nameof(StartedAt), null);
            given.RequireNoOthers();
        }

        /// <summary>Where the emulator serves the Kernel API, e.g. http://127.0.0.1:41235/.</summary>
        public Uri BaseUri { get; }

        /// <summary>The API key the emulator accepts: pass it to Connect-Kernel -ApiKey. Empty for one started elsewhere without a key.</summary>
        public SecureString? ApiKey { get; }

        /// <summary>The emulator's process; empty for one started elsewhere, unless its hashtable said.</summary>
        public int? ProcessId { get; }

        /// <summary>The emulator program that was started; empty for one started elsewhere.</summary>
        public string? Path { get; }

        /// <summary>When Start-KernelEmulator started it; empty for one started elsewhere, unless its hashtable said.</summary>
        public DateTimeOffset? StartedAt { get; }

        /// <summary>True once the process Start-KernelEmulator started has ended; always false for one started elsewhere.</summary>
        public bool HasExited
        {
            get
            {
                try
                {
                    return Process?.HasExited ?? false;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        /// <summary>The process Start-KernelEmulator started; null for one started elsewhere, which is not ours to stop.</summary>
        internal Process? Process { get; }

        public override string ToString() => BaseUri.ToString();
    }
}
