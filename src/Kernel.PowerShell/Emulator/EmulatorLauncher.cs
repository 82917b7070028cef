using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Kernel.PowerShell.Emulator
{
    /// <summary>
    /// Starts the emulator (src/Kernel.Emulator, staged next to the module) as a child process on a loopback port.
    /// The child watches its standard input and this process's id, so it ends when its parent does, however the
    /// parent ends; every emulator still running is also stopped when this process exits normally. Ctrl+C at the
    /// prompt never reaches it: given --parent-pid it leaves the terminal's process group (Linux, macOS), and on
    /// Windows it has no console to receive the event (CreateNoWindow).
    /// </summary>
    internal static class EmulatorLauncher
    {
        internal const string ApiKeysVariable = "KERNEL_EMULATOR_API_KEYS";
        internal const string ProjectApiKeysVariable = "KERNEL_EMULATOR_PROJECT_API_KEYS";
        private static readonly Regex ListeningLine = new Regex(@"listening on (?<uri>https?://\S+)", RegexOptions.CultureInvariant);
        private static readonly List<KernelEmulator> Running = new List<KernelEmulator>();

        static EmulatorLauncher()
        {
            AppDomain.CurrentDomain.ProcessExit += (_, __) => StopAll();
        }

        /// <summary>The emulator staged with this module: &lt;module folder&gt;/emulator/Kernel.Emulator.dll.</summary>
        public static string DefaultPath =>
            System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(EmulatorLauncher).Assembly.Location)!, "emulator", "Kernel.Emulator.dll");

        /// <summary>
        /// Starts the emulator accepting <paramref name="apiKey"/> (a new test key when null): an org-wide key, or one
        /// scoped to <paramref name="apiKeyProject"/> (a project id or name).
        /// </summary>
        public static async Task<KernelEmulator> StartAsync(string path, int port, SecureString? apiKey, IReadOnlyList<string> extraArguments, TimeSpan startupTimeout, CancellationToken cancellationToken, string? apiKeyProject = null)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The Kernel emulator is not at '{path}'. Build it with ./build.ps1 Build, or pass -Path.", path);
            }

            var key = apiKey ?? NewTestKey();
            var start = new ProcessStartInfo(DotnetHost(), Quote(path))
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                WorkingDirectory = System.IO.Path.GetDirectoryName(path)!,
            };
            start.Arguments += $" --urls http://127.0.0.1:{port} --parent-pid {Process.GetCurrentProcess().Id} --exit-on-stdin-close";
            foreach (var argument in extraArguments)
            {
                start.Arguments += " " + Quote(argument);
            }

            // The key travels in the environment, not on the command line, where any user could read it.
            var keyText = new NetworkCredential(string.Empty, key).Password;
            start.EnvironmentVariables[ApiKeysVariable] = apiKeyProject == null ? keyText : string.Empty;
            start.EnvironmentVariables[ProjectApiKeysVariable] = apiKeyProject == null ? string.Empty : apiKeyProject + "=" + keyText;

            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var recent = new Queue<string>();
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data == null)
                {
                    return;
                }

                lock (recent)
                {
                    recent.Enqueue(e.Data);
                    if (recent.Count > 20)
                    {
                        recent.Dequeue();
                    }
                }

                var match = ListeningLine.Match(e.Data);
                if (match.Success)
                {
                    listening.TrySetResult(new Uri(match.Groups["uri"].Value.TrimEnd('/') + "/"));
                }
            };
            process.OutputDataReceived += onLine;
            process.ErrorDataReceived += onLine;
            process.Exited += (_, __) => listening.TrySetException(new InvalidOperationException(
                $"The Kernel emulator exited during start-up (exit code {SafeExitCode(process)}). Its last output: {string.Join(" | ", Snapshot(recent))}"));

            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(startupTimeout);
                using (timeout.Token.Register(() => listening.TrySetCanceled()))
                {
                    Uri baseUri;
                    try
                    {
                        baseUri = await listening.Task.ConfigureAwait(false);
                    }
                    catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new TimeoutException($"The Kernel emulator did not report its address within {startupTimeout.TotalSeconds:0} s. Its last output: {string.Join(" | ", Snapshot(recent))}");
                    }

                    var emulator = new KernelEmulator(baseUri, key, process, path);
                    lock (Running)
                    {
                        Running.Add(emulator);
                    }

                    return emulator;
                }
            }
            catch
            {
                Kill(process);
                throw;
            }
        }

        /// <summary>Stops an emulator <see cref="StartAsync"/> started (one with a process).</summary>
        public static void Stop(KernelEmulator emulator)
        {
            lock (Running)
            {
                Running.Remove(emulator);
            }

            Kill(emulator.Process ?? throw new InvalidOperationException($"The emulator at {emulator.BaseUri} was not started here."));
        }

        public static void StopAll()
        {
            KernelEmulator[] all;
            lock (Running)
            {
                all = Running.ToArray();
                Running.Clear();
            }

            foreach (var emulator in all)
            {
                Kill(emulator.Process!);
            }
        }

        private static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.StandardInput.Close();
                    if (!process.WaitForExit(2000))
                    {
                        process.Kill();
                        process.WaitForExit(2000);
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is IOException || ex is System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        /// <summary>The dotnet host: DOTNET_HOST_PATH, then DOTNET_ROOT, then PATH.</summary>
        private static string DotnetHost()
        {
            var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
            {
                return hostPath!;
            }

            var candidates = new List<string>();
            var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            if (!string.IsNullOrEmpty(root))
            {
                candidates.Add(System.IO.Path.Combine(root, exe));
            }

            candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(System.IO.Path.PathSeparator)
                .Where(dir => dir.Length > 0)
                .Select(dir => System.IO.Path.Combine(dir, exe)));
            return candidates.FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException("The Kernel emulator needs the .NET 10 runtime with ASP.NET Core, but no 'dotnet' was found (DOTNET_HOST_PATH, DOTNET_ROOT, PATH).");
        }

        private static SecureString NewTestKey()
        {
            var bytes = new byte[18];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            var key = new SecureString();
            foreach (var c in "sk_emulator_" + BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant())
            {
                key.AppendChar(c);
            }

            key.MakeReadOnly();
            return key;
        }

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '"', '\t' }) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";

        private static string[] Snapshot(Queue<string> recent)
        {
            lock (recent)
            {
                return recent.ToArray();
            }
        }

        private static string SafeExitCode(Process process)
        {
            try
            {
                return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (InvalidOperationException)
            {
                return "unknown";
            }
        }
    }
}
