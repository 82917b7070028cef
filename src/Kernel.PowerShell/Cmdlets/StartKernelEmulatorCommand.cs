using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security;
using Kernel.PowerShell.Emulator;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Start-KernelEmulator: runs a local Kernel API emulator for tests and demos.</summary>
    [Cmdlet(VerbsLifecycle.Start, "KernelEmulator", SupportsShouldProcess = true)]
    [OutputType(typeof(KernelEmulator))]
    public sealed class StartKernelEmulatorCommand : KernelCmdlet
    {
        /// <summary>The emulator program (Kernel.Emulator.dll); by default the one staged with this module.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The loopback port; 0 (the default) picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>The API key the emulator accepts; by default a new random test key.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        /// <summary>Projects the emulator knows by id only; requests naming another project get 404. By default any id is a project.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ProjectId { get; set; }

        /// <summary>Projects the emulator knows by name and id, as a hashtable of name = id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public IDictionary? Project { get; set; }

        /// <summary>Makes the emulator's key a project-scoped key of this project (id or name): other projects get 403.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ApiKeyProject { get; set; }

        /// <summary>How long each deployment step takes (queued, building, starting): a TimeSpan or seconds.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? StepDelay { get; set; }

        protected override void EndProcessing()
        {
            var path = Path == null ? EmulatorLauncher.DefaultPath : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(path, "Start the Kernel emulator on 127.0.0.1"))
            {
                return;
            }

            var arguments = new List<string>();
            if (StepDelay.HasValue)
            {
                if (StepDelay.Value < TimeSpan.Zero)
                {
                    ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, StepDelay, "-StepDelay cannot be negative."));
                }

                arguments.Add("--step-delay-ms");
                arguments.Add(((long)StepDelay.Value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            }

            foreach (var project in ProjectId ?? Array.Empty<string>())
            {
                arguments.Add("--project-id");
                arguments.Add(project);
            }

            foreach (DictionaryEntry project in Project ?? new Hashtable())
            {
                var name = LanguagePrimitives.ConvertTo<string>(project.Key);
                var id = LanguagePrimitives.ConvertTo<string>(project.Value);
                if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(id) || id.Contains("="))
                {
                    ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidProject, ErrorCategory.InvalidArgument, Project, $"-Project takes name = id pairs with a name and an id (without '='), not '{name}' = '{id}'."));
                }

                arguments.Add("--project");
                arguments.Add(name + "=" + id);
            }

            try
            {
                var emulator = Run("Starting the Kernel emulator", (observer, token) =>
                    EmulatorLauncher.StartAsync(path, Port, ApiKey, arguments, TimeSpan.FromSeconds(30), token, ApiKeyProject));
                EmulatorRegistry.Started.Add(emulator);
                WriteVerbose($"The Kernel emulator (process {emulator.ProcessId}) serves {emulator.BaseUri}.");
                WriteObject(emulator);
            }
            catch (FileNotFoundException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.EmulatorNotFound, ErrorCategory.ObjectNotFound, path, ex.Message, ex));
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is TimeoutException || ex is System.ComponentModel.Win32Exception)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.EmulatorStartFailed, ErrorCategory.ResourceUnavailable, path, ex.Message, ex));
            }
        }
    }
}
