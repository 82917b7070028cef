using System;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// An app folder zipped while it is sent: packing and uploading overlap, and no temporary file is needed.
    /// Its size is not known in advance (the request goes chunked); every write gives the same bytes,
    /// comment included, so the checksum can be recomputed if the upload breaks.
    /// </summary>
    internal sealed class FolderArchive : IArchiveSource
    {
        private readonly AppFolder _folder;
        private readonly CompressionLevel _level;
        private readonly string _comment = "kernel-upload " + Guid.NewGuid().ToString("N");

        public FolderArchive(AppFolder folder, CompressionLevel level = CompressionLevel.Optimal)
        {
            _folder = folder;
            _level = level;
        }

        public long? Length => null;

        public bool IsUnique => true;

        public Task WriteToAsync(Stream target, IOperationObserver observer, CancellationToken cancellationToken) =>
            Task.Run(
                () =>
                {
                    // The writer's many small header writes would each become a network write (and a chunk).
                    // Not disposed: that would close the target, which belongs to the caller.
                    var buffered = new BufferedStream(target, 1 << 20);
                    ArchiveWriter.Write(_folder, buffered, _comment, _level, observer, cancellationToken);
                    buffered.Flush();

                    observer.Progress(new OperationProgress(OperationPhase.Compress, _folder.TotalBytes, _folder.TotalBytes, "Compressed", completed: true));
                },
                cancellationToken);

        /// <summary>Writes the same archive to a temporary file, for servers that need a Content-Length.</summary>
        public async Task<TemporaryArchive> SaveAsync(IOperationObserver observer, CancellationToken cancellationToken)
        {
            var path = Path.Combine(Path.GetTempPath(), "kernel-" + Guid.NewGuid().ToString("N") + ".zip");
            try
            {
                using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
                {
                    await WriteToAsync(output, observer, cancellationToken).ConfigureAwait(false);
                }

                return new TemporaryArchive(path);
            }
            catch
            {
                TemporaryArchive.Delete(path);
                throw;
            }
        }
    }

    /// <summary>A ZIP in a temporary file, deleted on <see cref="Dispose"/>.</summary>
    internal sealed class TemporaryArchive : IDisposable
    {
        public TemporaryArchive(string path)
        {
            Path = path;
        }

        public string Path { get; }

        public long Length => new FileInfo(Path).Length;

        public void Dispose() => Delete(Path);

        internal static void Delete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Still open elsewhere (a virus scanner, say): the OS temp cleaner gets it.
            }
        }
    }
}
