using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Publish-KernelExtension: uploads an unpacked browser extension, from its folder (packed with the module's
    /// packer and ignore rules, plus the development files Kernel's CLI leaves out) or from a ready ZIP. Either
    /// must have manifest.json at its top; one without is refused before anything is sent.
    /// </summary>
    [Cmdlet(VerbsData.Publish, "KernelExtension", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelExtension))]
    public sealed class PublishKernelExtensionCommand : FolderUploadCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The extension's folder, or a ZIP of it (wildcards allowed, must resolve to one path).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string Path { get; set; } = null!;

        /// <summary>The extension's folder, or a ZIP of it, taken literally; binds from Get-Item and Get-ChildItem output.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = null!;

        /// <summary>A name to load it by, unique in the project: letters, digits, dots, underscores and hyphens.</summary>
        [Parameter(Position = 1)]
        [ValidatePattern("^[a-zA-Z0-9._-]{1,255}$")]
        public string? Name { get; set; }

        /// <summary>Files and folders of the folder to leave out besides the built-in ones, as wildcards (as New-KernelDeployment -Exclude).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Exclude { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            var path = ParameterSetName == LiteralPathSet ? ResolveFileSystemPath(LiteralPath, literal: true) : ResolveFileSystemPath(Path, literal: false);
            if (path == null)
            {
                return;
            }

            if (File.Exists(path))
            {
                PublishArchive(path);
            }
            else if (Directory.Exists(path))
            {
                PublishFolder(path);
            }
            else
            {
                WriteFailure(new PackagingException(PackagingFailure.PathNotFound, path, $"'{path}' does not exist."), path);
            }
        }

        private void PublishFolder(string folder)
        {
            var exclusions = ExtensionPackage.Exclusions.Concat(ExcludePatterns(Exclude)).ToList();
            var app = ScanFolder(folder, token => ExtensionPackage.Scan(folder, exclusions, token), "Publishing " + folder);
            if (app == null)
            {
                return;
            }

            var target = $"{folder} ({app.Files.Count} files, {Bytes.Format(app.TotalBytes)})";
            WriteVerbose("To upload: " + target + ".");
            if (!ShouldProcess(target, Action()))
            {
                ListContents(app);
                return;
            }

            Upload(folder, new FolderArchive(app));
        }

        private void PublishArchive(string archive)
        {
            if (Exclude.Length > 0)
            {
                WriteWarning($"-Exclude applies to folders: the archive '{archive}' is uploaded as it is.");
            }

            int files;
            try
            {
                files = ExtensionPackage.CheckArchive(archive);
            }
            catch (PackagingException ex)
            {
                WriteFailure(ex, ex.Target);
                return;
            }

            var target = $"{archive} ({files} files, {Bytes.Format(new FileInfo(archive).Length)})";
            WriteVerbose("To upload: " + target + ".");
            if (ShouldProcess(target, Action()))
            {
                Upload(archive, new ArchiveFile(archive, isUnique: false));
            }
        }

        /// <summary>The -WhatIf and -Confirm action: where the upload goes and the fields it carries.</summary>
        private string Action() =>
            $"Publish {(Name == null ? "an extension without a name" : $"extension '{Name}'")} to {DescribeEndpoint()} (POST /extensions: file{(Name == null ? string.Empty : ", name")})";

        private void Upload(string source, IArchiveSource archive)
        {
            var session = ResolveSession();
            WriteCreated(session, "Publishing " + source, source, (observer, token) => session.Client.UploadExtensionAsync(archive, Name, observer, token), extension =>
                $"Published extension {extension.Id}{(extension.Name == null ? string.Empty : $" ({extension.Name})")}, {Bytes.Format(extension.SizeBytes)}.");
        }
    }

    /// <summary>Get-KernelExtension: extensions by id or name (wildcards), over every page.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelExtension", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelExtension))]
    public sealed class GetKernelExtensionCommand : GetResourceCmdlet<KernelExtension>
    {
        internal override ApiResource<KernelExtension> Resource => ExtensionApi.Resource;
    }

    /// <summary>
    /// Save-KernelExtension: downloads an extension's ZIP, byte for byte as it was uploaded; or, with
    /// -ChromeWebStoreId, an extension from the Chrome Web Store as a ZIP Kernel can load (publish it next).
    /// </summary>
    [Cmdlet(VerbsData.Save, "KernelExtension", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveKernelExtensionCommand : SaveResourceCmdlet<KernelExtension>
    {
        private const string ChromeWebStoreSet = "ChromeWebStore";
        private static readonly Regex StoreId = new Regex("^[a-p]{32}$", RegexOptions.CultureInvariant);

        /// <summary>An extension of the Chrome Web Store: its 32-letter id, or its page's URL.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ChromeWebStoreSet)]
        [ValidateNotNullOrEmpty]
        public string ChromeWebStoreId { get; set; } = null!;

        internal override ApiResource<KernelExtension> Resource => ExtensionApi.Resource;

        internal override string FileName(ResourceTarget<KernelExtension> target) =>
            (target.Item?.Name ?? target.IdOrName) + ".zip";

        internal override Task<FileInfo> DownloadAsync(KernelApiClient client, ResourceTarget<KernelExtension> target, FileDownload file, IOperationObserver observer, CancellationToken cancellationToken) =>
            client.DownloadExtensionAsync(target.IdOrName, file, Timeout, observer, cancellationToken);

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ChromeWebStoreSet)
            {
                base.ProcessRecord();
                return;
            }

            RequirePositive(Timeout, nameof(Timeout));
            if (StoreListing(ChromeWebStoreId) is not { } listing)
            {
                WriteError(ErrorCatalog.Create(
                    ErrorCatalog.InvalidChromeWebStoreId,
                    ErrorCategory.InvalidArgument,
                    ChromeWebStoreId,
                    $"-ChromeWebStoreId takes an extension's 32-letter id (a to p), or its page's URL on chromewebstore.google.com, not '{ChromeWebStoreId}'."));
                return;
            }

            var client = ResolveClient();
            if (FileSaving.ResolveDestination(this, Destination, listing.Id + ".zip", Force) is { } path)
            {
                FileSaving.Save(this, $"Chrome Web Store extension {listing.Id}", ChromeWebStoreId, path, Force, PassThru, (file, observer, token) =>
                    client.DownloadFromChromeWebStoreAsync(listing.Url, file, Timeout, observer, token));
            }
        }

        /// <summary>The store's id and page URL for an id or a store URL; null for anything else.</summary>
        private static (string Id, string Url)? StoreListing(string text)
        {
            var trimmed = text.Trim();
            if (StoreId.IsMatch(trimmed))
            {
                return (trimmed, "https://chromewebstore.google.com/detail/" + trimmed);
            }

            if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
                && (uri.Host == "chromewebstore.google.com" || (uri.Host == "chrome.google.com" && uri.AbsolutePath.StartsWith("/webstore/", StringComparison.Ordinal)))
                && uri.Segments.Select(segment => segment.TrimEnd('/')).LastOrDefault(StoreId.IsMatch) is { } id)
            {
                return (id, trimmed);
            }

            return null;
        }
    }

    /// <summary>Remove-KernelExtension: deletes extensions (browsers already running keep what they loaded).</summary>
    [Cmdlet(VerbsCommon.Remove, "KernelExtension", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveKernelExtensionCommand : RemoveResourceCmdlet<KernelExtension>
    {
        internal override ApiResource<KernelExtension> Resource => ExtensionApi.Resource;

        internal override string RemoveAction => "Delete the extension";
    }
}
