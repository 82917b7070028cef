using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>New-KernelDeployment: deploys an app folder, a ready ZIP or a GitHub repository.</summary>
    [Cmdlet(VerbsCommon.New, "KernelDeployment", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(KernelDeployment))]
    public sealed class NewKernelDeploymentCommand : FolderUploadCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ArchiveSet = "Archive";
        private const string LiteralArchiveSet = "LiteralArchive";
        private const string GitHubSet = "GitHub";
        private static readonly Regex EnvVarName = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
        private const long DefaultMaxArchiveSize = 2L * 1024 * 1024 * 1024;
        private static readonly string[] ReservedEnvVars = { "KERNEL_API_KEY", "ENTRYPOINT_RELPATH" };
        private volatile string? _createdId;
        private volatile string? _sent;
        private readonly List<string> _envFilePaths = new List<string>();

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

        /// <summary>A ready ZIP of the app, uploaded as it is (its entries must use '/' separators).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ArchiveSet)]
        [ValidateNotNullOrEmpty]
        public string ArchivePath { get; set; } = null!;

        /// <summary>A ready ZIP of the app, its path taken literally (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralArchiveSet)]
        [ValidateNotNullOrEmpty]
        public string LiteralArchivePath { get; set; } = null!;

        /// <summary>A GitHub repository URL (no /tree or /blob part) that Kernel builds from.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GitHubSet)]
        [ValidateNotNull]
        public Uri GitHubUrl { get; set; } = null!;

        /// <summary>The branch, tag or commit to build.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GitHubSet)]
        [ValidateNotNullOrEmpty]
        public string Ref { get; set; } = null!;

        /// <summary>The folder of the repository that holds the app; by default the repository root.</summary>
        [Parameter(ParameterSetName = GitHubSet)]
        [ValidateNotNullOrEmpty]
        public string? SubPath { get; set; }

        /// <summary>A GitHub token for a private repository (sent to Kernel, never logged).</summary>
        [Parameter(ParameterSetName = GitHubSet)]
        [ValidateNotNull]
        public SecureString? GitHubToken { get; set; }

        /// <summary>The entrypoint file, relative to the folder (or archive, or -SubPath), e.g. main.py or src/index.ts.</summary>
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

        /// <summary>Environment variables for the app; they win over -EnvFile. Values are sent as text and never logged.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable EnvVars { get; set; } = new Hashtable();

        /// <summary>dotenv files to read environment variables from, in order (a later file wins). One inside the folder is not packed.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] EnvFile { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Files and folders of the folder to leave out, as wildcards: a pattern without a slash matches a name at
        /// any depth (*.log, node_modules); one with a slash matches the path from the folder, * within one name and
        /// ** across folders (docs/*.pdf, src/**/*.test.js). Case-insensitive; a folder left out takes all it holds.
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Exclude { get; set; } = Array.Empty<string>();

        /// <summary>Overwrite an existing app version.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// How hard to compress a folder: Optimal (the default; about zip's size), Fastest (less CPU, a bigger archive)
        /// or NoCompression (stores every file). What deflate cannot shrink is stored either way: known compressed formats,
        /// and files whose first (middle, last) 64 KiB would not come out 1 % smaller.
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateSet(nameof(System.IO.Compression.CompressionLevel.Optimal), nameof(System.IO.Compression.CompressionLevel.Fastest), nameof(System.IO.Compression.CompressionLevel.NoCompression))]
        public string CompressionLevel { get; set; } = nameof(System.IO.Compression.CompressionLevel.Optimal);

        /// <summary>The largest archive to upload, in bytes (e.g. 4GB). Default 2 GB.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long MaxArchiveSize { get; set; } = DefaultMaxArchiveSize;

        /// <summary>Follow the new deployment until it runs or fails, as Wait-KernelDeployment does.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: how long to wait (a TimeSpan, seconds, or text such as 90s, 5m or 1h30m). Default 30 minutes.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        protected override void BeginProcessing()
        {
            if (Wait)
            {
                RequirePositive(Timeout, nameof(Timeout));
            }
        }

        protected override void ProcessRecord()
        {
            _sent = null;
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
            catch (DotEnvException ex)
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.InvalidEnvFile, ex.IsSyntax ? ErrorCategory.ParserError : ErrorCategory.ReadError, ex.Path, ex.Message, ex));
                return;
            }

            foreach (var reserved in ReservedEnvVars.Where(envVars.ContainsKey))
            {
                WriteWarning($"{reserved} is reserved: Kernel sets it for every deployment and replaces the value you gave.");
            }

            switch (ParameterSetName)
            {
                case GitHubSet:
                    DeployFromGitHub(entrypoint, envVars);
                    break;
                case ArchiveSet:
                case LiteralArchiveSet:
                    DeployArchive(entrypoint, envVars);
                    break;
                default:
                    DeployFolder(entrypoint, envVars);
                    break;
            }
        }

        private void DeployFolder(string entrypoint, IReadOnlyDictionary<string, string> envVars)
        {
            var folder = ResolveFileSystemPath(ParameterSetName == LiteralPathSet ? LiteralPath : Path, literal: ParameterSetName == LiteralPathSet);
            if (folder == null)
            {
                return;
            }

            var exclusions = Exclusions(folder);
            var app = ScanFolder(folder, token =>
            {
                var scanned = AppFolder.Scan(folder, token, exclusions);
                scanned.RequireEntrypoint(entrypoint);
                return scanned;
            }, "Deploying " + folder);
            if (app == null)
            {
                return;
            }

            var target = $"{folder} ({app.Files.Count} files, {Bytes.Format(app.TotalBytes)}; entrypoint {entrypoint}, version {Version})";
            WriteVerbose("To upload: " + target + ".");
            if (!ShouldProcess(target, Describe(DeploymentUpload.FromArchive(new ArchiveFile(folder, isUnique: true), entrypoint, Version, Force.IsPresent, Region, envVars))))
            {
                ListContents(app);
                return;
            }

            var session = ResolveSession();
            Create(session, folder, async (observer, token) =>
            {
                var clock = Stopwatch.StartNew();
                var archive = new FolderArchive(app, (System.IO.Compression.CompressionLevel)Enum.Parse(typeof(System.IO.Compression.CompressionLevel), CompressionLevel, ignoreCase: true), MaxArchiveSize);
                try
                {
                    var upload = DeploymentUpload.FromArchive(archive, entrypoint, Version, Force.IsPresent, Region, envVars);
                    var created = await Upload(session, upload, observer, token).ConfigureAwait(false);
                    observer.Verbose($"Packed and sent {app.Files.Count} files ({Bytes.Format(app.TotalBytes)}) as a {Bytes.Format(upload.SentLength)} archive in {clock.ElapsedMilliseconds} ms.");
                    _sent = $"{app.Files.Count} files, {Bytes.Format(upload.SentLength)}";
                    return created;
                }
                catch (KernelApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.LengthRequired)
                {
                    // A server (or proxy) that refuses chunked bodies: the same archive, from a file with a Content-Length.
                    observer.Verbose("The server wants a Content-Length: packing the archive to a temporary file first.");
                    var saved = await archive.SaveAsync(observer, token).ConfigureAwait(false);
                    try
                    {
                        _sent = $"{app.Files.Count} files, {Bytes.Format(new FileInfo(saved.Path).Length)}";
                        return await Upload(session, DeploymentUpload.FromArchive(new ArchiveFile(saved.Path, isUnique: true), entrypoint, Version, Force.IsPresent, Region, envVars), observer, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        saved.Delete(observer);
                    }
                }
            });
        }

        private void DeployArchive(string entrypoint, IReadOnlyDictionary<string, string> envVars)
        {
            var archive = ParameterSetName == LiteralArchiveSet ? ResolveFileSystemPath(LiteralArchivePath, literal: true) : ResolveFileSystemPath(ArchivePath, literal: false);
            if (archive == null)
            {
                return;
            }

            int files;
            try
            {
                files = ReadyArchive.Check(archive, entrypoint);
            }
            catch (PackagingException ex)
            {
                WriteFailure(ex, ex.Target);
                return;
            }

            if (new FileInfo(archive).Length > MaxArchiveSize)
            {
                WriteTooLarge(archive, $"it is {Bytes.Format(new FileInfo(archive).Length)}");
                return;
            }

            var target = $"{archive} ({files} files, {Bytes.Format(new FileInfo(archive).Length)}; entrypoint {entrypoint}, version {Version})";
            WriteVerbose("To upload: " + target + ".");
            if (ShouldProcess(target, Describe(DeploymentUpload.FromArchive(new ArchiveFile(archive, isUnique: false), entrypoint, Version, Force.IsPresent, Region, envVars))))
            {
                var session = ResolveSession();
                _sent = $"{files} files, {Bytes.Format(new FileInfo(archive).Length)}";
                Create(session, archive, (observer, token) =>
                    Upload(session, DeploymentUpload.FromArchive(new ArchiveFile(archive, isUnique: false), entrypoint, Version, Force.IsPresent, Region, envVars), observer, token));
            }
        }

        private void DeployFromGitHub(string entrypoint, IReadOnlyDictionary<string, string> envVars)
        {
            var url = GitHubUrl.ToString().TrimEnd('/');
            if (!GitHubUrl.IsAbsoluteUri || GitHubUrl.Segments.Any(s => s == "tree/" || s == "blob/"))
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.InvalidGitHubUrl, ErrorCategory.InvalidArgument, GitHubUrl, $"-GitHubUrl must be a repository URL such as https://github.com/org/repo, without /tree or /blob: '{GitHubUrl}'."));
                return;
            }

            var subPath = SubPath?.Replace('\\', '/').Trim('/');
            var source = new GitHubSource(url, Ref, entrypoint, string.IsNullOrEmpty(subPath) ? null : subPath, GitHubToken);
            var target = $"{url} at {Ref}{(source.Path == null ? string.Empty : ", folder " + source.Path)} (entrypoint {entrypoint}, version {Version})";
            var upload = DeploymentUpload.FromGitHub(source, Version, Force.IsPresent, Region, envVars);
            if (ShouldProcess(target, Describe(upload)))
            {
                var session = ResolveSession();
                _sent = $"from {url} at {Ref}";
                Create(session, url, (observer, token) =>
                    Upload(session, upload, observer, token));
            }
        }

        private async Task<KernelDeployment> Upload(KernelSession session, DeploymentUpload upload, IOperationObserver observer, System.Threading.CancellationToken token)
        {
            var clock = Stopwatch.StartNew();
            var created = await session.Client.CreateDeploymentAsync(upload, observer, token).ConfigureAwait(false);
            _createdId = created.Id;
            session.Completions.Clear();
            observer.Verbose($"Created deployment {created.Id} ({created.Status}) in {clock.ElapsedMilliseconds} ms.");
            return created;
        }

        /// <summary>Creates the deployment and writes it, or with -Wait follows it and writes how it ended.</summary>
        private void Create(KernelSession session, object target, Func<IOperationObserver, System.Threading.CancellationToken, Task<KernelDeployment>> create)
        {
            KernelDeployment created;
            _createdId = null;
            var clock = Stopwatch.StartNew();
            try
            {
                created = Run("Deploying " + target, create);
            }
            catch (PipelineStoppedException) when (IsStopping)
            {
                if (_createdId is { } id)
                {
                    TellHost($"Deployment {id} was created and goes on on Kernel; follow it with: Wait-KernelDeployment -Id {id}");
                }

                throw;
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                var record = Failure(ex, target);
                if (ex is KernelApiException api && api.StatusCode == System.Net.HttpStatusCode.Conflict && !Force)
                {
                    var fix = $"Run the command again with -Force to replace version '{Version}'";
                    record.ErrorDetails = new ErrorDetails($"{api.Message.TrimEnd('.')}. {fix}, or deploy under another -Version.") { RecommendedAction = fix + "." };
                }

                WriteError(record);
                return;
            }

            if (!Wait)
            {
                WriteObject(created);
                return;
            }

            try
            {
                var result = Run("Deploying " + target, (observer, token) => Follower.FollowDeploymentAsync(session.Client, created.Id, Timeout, observer, token));
                FollowOutcomes.Write(this, result, Timeout, clock.Elapsed, _sent);
            }
            catch (PipelineStoppedException) when (IsStopping)
            {
                TellHost($"Stopped waiting; deployment {created.Id} goes on on Kernel. Follow it with: Wait-KernelDeployment -Id {created.Id}");
                throw;
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteResumable(ex, created, $"Deployment {created.Id} was created, but following it failed", $"Wait-KernelDeployment -Id {created.Id}");
            }
        }

        /// <summary>The -WhatIf and -Confirm action: where the upload goes and the fields it carries (names only, never values).</summary>
        private string Describe(DeploymentUpload upload) => $"Deploy to {DescribeEndpoint()} (POST /deployments: {upload.DescribeFields()})";

        /// <summary>-EnvFile files in order (later wins), then -EnvVars on top; names checked.</summary>
        private IReadOnlyDictionary<string, string> ReadEnvVars()
        {
            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            _envFilePaths.Clear();
            foreach (var file in EnvFile)
            {
                string path;
                try
                {
                    path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(file);
                }
                catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException || ex is ArgumentException)
                {
                    throw new DotEnvException(file, $"The env file '{file}' is not a file system path: {ex.Message}", isSyntax: false, ex);
                }

                _envFilePaths.Add(path);
                foreach (var pair in DotEnv.ReadFile(path, Environment.GetEnvironmentVariable))
                {
                    result[CheckName(pair.Key, file)] = pair.Value;
                }
            }

            foreach (DictionaryEntry pair in EnvVars)
            {
                var name = CheckName(LanguagePrimitives.ConvertTo<string>(pair.Key) ?? string.Empty, "-EnvVars");
                result[name] = pair.Value == null ? string.Empty : LanguagePrimitives.ConvertTo<string>(pair.Value);
            }

            return result;
        }

        private static string CheckName(string name, string source) =>
            EnvVarName.IsMatch(name)
                ? name
                : throw new ArgumentException($"'{name}' (from {source}) is not a valid environment variable name: use letters, digits and _, not starting with a digit.");

        private void WriteTooLarge(string path, string size) =>
            WriteFailure(new PackagingException(PackagingFailure.ArchiveTooLarge, path, $"'{path}' is too large to deploy: {size}, over -MaxArchiveSize {Bytes.Format(MaxArchiveSize)}."), path);

        /// <summary>What -Exclude and -EnvFile leave out of the folder: every env file, whose values already travel as environment variables, and -Exclude's patterns.</summary>
        private IReadOnlyList<PathExclusion> Exclusions(string folder)
        {
            var exclusions = new List<PathExclusion>();
            var pathComparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            foreach (var envFile in _envFilePaths)
            {
                var full = System.IO.Path.GetFullPath(envFile);
                exclusions.Add(new PathExclusion(
                    (relative, name) => string.Equals(name, System.IO.Path.GetFileName(full), pathComparison) && string.Equals(Packed(relative), full, pathComparison),
                    "given as -EnvFile: its values are sent as environment variables, not packed"));
            }

            exclusions.AddRange(ExcludePatterns(Exclude));
            return exclusions;

            string Packed(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative.Replace('/', System.IO.Path.DirectorySeparatorChar)));
        }
    }
}
