using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// A download to a file, as every Save- cmdlet does it: -Destination is a file or an existing folder (the
    /// file then gets the download's own name), on the FileSystem provider; an existing file is replaced only
    /// with -Force; the body streams to a temporary file renamed at the end, with progress, so nothing partial is
    /// ever left under the real name; -PassThru writes the file.
    /// </summary>
    internal static class FileSaving
    {
        /// <summary>The full path to write, or null (with the error written) when the destination will not do.</summary>
        public static string? ResolveDestination(KernelSessionCmdlet cmdlet, string destination, string fileName, bool force)
        {
            string path;
            try
            {
                path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(destination, out var provider, out _);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    cmdlet.WriteError(ErrorCatalog.Create(ErrorCatalog.NotFileSystemPath, ErrorCategory.InvalidArgument, destination, $"-Destination must be a file system path, not '{destination}' ({provider.Name})."));
                    return null;
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException)
            {
                cmdlet.WriteError(ErrorCatalog.Create(ErrorCatalog.InvalidDestination, ErrorCategory.InvalidArgument, destination, $"-Destination '{destination}' is not a path this command can write: {ex.Message}", ex));
                return null;
            }

            if (Directory.Exists(path) || destination.EndsWith("/", StringComparison.Ordinal) || destination.EndsWith("\\", StringComparison.Ordinal))
            {
                path = Path.Combine(path, fileName);
            }

            if (!Directory.Exists(Path.GetDirectoryName(path)))
            {
                cmdlet.WriteError(ErrorCatalog.Create(ErrorCatalog.InvalidDestination, ErrorCategory.ObjectNotFound, destination, $"The folder of '{path}' does not exist; create it first."));
                return null;
            }

            if (File.Exists(path) && !force)
            {
                cmdlet.WriteError(ErrorCatalog.Create(ErrorCatalog.DestinationExists, ErrorCategory.ResourceExists, path, $"'{path}' already exists; add -Force to replace it."));
                return null;
            }

            return path;
        }

        /// <summary>Downloads into <paramref name="path"/> after ShouldProcess; writes the file with -PassThru, an error about <paramref name="errorTarget"/> on failure.</summary>
        public static void Save(KernelSessionCmdlet cmdlet, string what, object errorTarget, string path, bool force, bool passThru, Func<FileDownload, IOperationObserver, CancellationToken, Task<FileInfo>> download)
        {
            if (!cmdlet.ShouldProcess(path, $"Download {what}"))
            {
                return;
            }

            try
            {
                using var target = new FileDownload(path, force);
                var file = cmdlet.Run($"Downloading {what}", (observer, token) => download(target, observer, token));
                cmdlet.WriteVerbose($"Saved {what} to {file.FullName} ({Bytes.Format(file.Length)}).");
                if (passThru)
                {
                    cmdlet.WriteObject(file);
                }
            }
            catch (Exception ex) when (KernelCmdlet.IsFailure(ex))
            {
                cmdlet.WriteFailure(ex, errorTarget);
            }
        }
    }

    /// <summary>Base of Save-Kernel&lt;Resource&gt;: the objects by -Id or -Name, downloaded to -Destination.</summary>
    public abstract class SaveResourceCmdlet<T> : TargetResourceCmdlet<T>
        where T : class
    {
        /// <summary>A file, or an existing folder to put the file in under its own name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = null!;

        /// <summary>Replace a file that is already there.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the saved file (FileInfo) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How long to wait while the API says the download is not ready yet (202).</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>The file name a folder destination gets for this object.</summary>
        internal abstract string FileName(ResourceTarget<T> target);

        /// <summary>The download of one object into the file.</summary>
        internal abstract Task<FileInfo> DownloadAsync(KernelApiClient client, ResourceTarget<T> target, FileDownload file, IOperationObserver observer, CancellationToken cancellationToken);

        protected override void ProcessRecord()
        {
            RequirePositive(Timeout, nameof(Timeout));
            var client = ResolveClient();
            foreach (var target in Targets())
            {
                if (FileSaving.ResolveDestination(this, Destination, FileName(target), Force) is { } path)
                {
                    FileSaving.Save(this, Describe(target), target.IdOrName, path, Force, PassThru, (file, observer, token) => DownloadAsync(client, target, file, observer, token));
                }
            }
        }
    }
}
