using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>New-KernelDeployment: packages an app folder and deploys it.</summary>
    [Cmdlet(VerbsCommon.New, "KernelDeployment", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(KernelDeployment))]
    public sealed class NewKernelDeploymentCommand : KernelSessionCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const int ExclusionsListed = 20;
        private static readonly Regex EnvVarName = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>The app's folder (wildcards allowed, must resolve to one folder).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string Path { get; set; } = null!;

        /// <summary>The app's folder, taken literally; binds from Get-Item output.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = null!;

        /// <summary>The entrypoint file, relative to the folder, e.g. main.py or src/index.ts.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("Entrypoint")]
        [ValidateNotNullOrEmpty]
        public string EntrypointRelPath { get; set; } = null!;

        /// <summary>The app version label.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Version { get; set; } = "latest";

        /// <summary>The region to deploy to.</summary>
        [Parameter]
        [ValidateSet(KernelRegions.Default)]
        public string Region { get; set; } = KernelRegions.Default;

        /// <summary>Environment variables for the app. Values are sent as text and never logged.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable EnvVars { get; set; } = new Hashtable();

        /// <summary>Overwrite an existing app version.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var folder = ResolveFolder();
            if (folder == null)
            {
                return;
            }

            string entrypoint;
            IReadOnlyDictionary<string, string> envVars;
            try
            {
                entrypoint = AppFolder.NormalizeEntrypoint(EntrypointRelPath);
                envVars = ReadEnvVars();
            }
            catch (PackagingException ex)
            {
                WriteFailure(ex, ex.Target);
                return;
            }
            catch (ArgumentException ex)
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.InvalidEnvVarName, ErrorCategory.InvalidArgument, EnvVars, ex.Message, ex));
                return;
            }

            var client = ResolveClient();
            AppFolder app;
            try
            {
                app = Run("Deploying " + folder, (observer, token) => System.Threading.Tasks.Task.Run(() => AppFolder.Scan(folder, token), token));
                app.RequireEntrypoint(entrypoint);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteFailure(ex, folder);
                return;
            }

            ReportExclusions(app);
            var target = $"{folder} ({app.Files.Count} files, {Bytes.Format(app.TotalBytes)}; entrypoint {entrypoint}, version {Version})";
            WriteVerbose("To upload: " + target + ".");
            if (!ShouldProcess(target, $"Deploy to {client.BaseUri}"))
            {
                return;
            }

            try
            {
                var deployment = Run("Deploying " + folder, async (observer, token) =>
                {
                    var clock = Stopwatch.StartNew();
                    using var archive = await AppArchive.CreateAsync(app, observer, token).ConfigureAwait(false);
                    observer.Verbose($"Packaged {archive.FileCount} files ({Bytes.Format(archive.SourceBytes)}) into a {Bytes.Format(archive.Length)} archive in {clock.ElapsedMilliseconds} ms.");
                    clock.Restart();
                    var created = await client.CreateDeploymentAsync(
                        new DeploymentUpload(archive.Path, entrypoint, Version, Force.IsPresent, Region, envVars),
                        observer,
                        token).ConfigureAwait(false);
                    observer.Verbose($"Created deployment {created.Id} ({created.Status}) in {clock.ElapsedMilliseconds} ms.");
                    return created;
                });
                WriteObject(deployment);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteFailure(ex, folder);
            }
        }

        private string? ResolveFolder()
        {
            ProviderInfo provider;
            string resolved;
            try
            {
                if (ParameterSetName == LiteralPathSet)
                {
                    resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(LiteralPath, out provider, out _);
                }
                else
                {
                    var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(Path, out provider);
                    if (matches.Count != 1)
                    {
                        WriteError(ErrorCatalog.Create(ErrorCatalog.AmbiguousPath, ErrorCategory.InvalidArgument, Path, $"'{Path}' matches {matches.Count} paths; give exactly one app folder."));
                        return null;
                    }

                    resolved = matches[0];
                }
            }
            catch (ItemNotFoundException ex)
            {
                WriteFailure(new PackagingException(PackagingFailure.PathNotFound, Path, $"The app folder '{Path}' does not exist.", ex), Path);
                return null;
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException)
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.NotFileSystemPath, ErrorCategory.InvalidArgument, LiteralPath ?? Path, ex.Message, ex));
                return null;
            }

            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                WriteError(ErrorCatalog.Create(
                    ErrorCatalog.NotFileSystemPath,
                    ErrorCategory.InvalidArgument,
                    resolved,
                    $"'{resolved}' is on the {provider.Name} provider; an app folder must be a file system path."));
                return null;
            }

            return resolved;
        }

        private IReadOnlyDictionary<string, string> ReadEnvVars()
        {
            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry pair in EnvVars)
            {
                var name = LanguagePrimitives.ConvertTo<string>(pair.Key) ?? string.Empty;
                if (!EnvVarName.IsMatch(name))
                {
                    throw new ArgumentException($"'{name}' is not a valid environment variable name (letters, digits and _, not starting with a digit).");
                }

                result[name] = pair.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(pair.Value);
            }

            return result;
        }

        private void ReportExclusions(AppFolder app)
        {
            if (app.Excluded.Count == 0)
            {
                return;
            }

            var listed = string.Join("; ", app.Excluded.Take(ExclusionsListed).Select(e => e.ToString()));
            var more = app.Excluded.Count > ExclusionsListed ? $"; and {app.Excluded.Count - ExclusionsListed} more" : string.Empty;
            WriteVerbose($"Left out {app.Excluded.Count} path(s): {listed}{more}.");
            foreach (var link in app.Excluded.Where(e => e.Reason.StartsWith("symbolic link", StringComparison.Ordinal)))
            {
                WriteWarning($"Skipped the symbolic link '{link.RelativePath}': links are never followed or uploaded.");
            }
        }
    }
}
