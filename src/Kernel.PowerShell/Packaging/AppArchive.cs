using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// A ZIP of an app folder in a temporary file that is deleted on <see cref="Dispose"/> (and on any failure
    /// while it is written). Entries are relative, '/'-separated, with a folder entry for every folder that
    /// holds a file, like Kernel's CLI. A random archive comment makes each one unique, so its checksum
    /// identifies this upload and no other (see duplicate-safe create).
    /// </summary>
    internal sealed class AppArchive : IDisposable
    {
        private AppArchive(string path, int fileCount, long sourceBytes)
        {
            Path = path;
            FileCount = fileCount;
            SourceBytes = sourceBytes;
        }

        public string Path { get; }

        public int FileCount { get; }

        public long SourceBytes { get; }

        public long Length => new FileInfo(Path).Length;

        public static Task<AppArchive> CreateAsync(AppFolder folder, IOperationObserver observer, CancellationToken cancellationToken) =>
            Task.Run(() => Create(folder, observer, cancellationToken), cancellationToken);

        public void Dispose()
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
                // Still open elsewhere (a virus scanner, say): the OS temp cleaner gets it.
            }
        }

        private static AppArchive Create(AppFolder folder, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kernel-" + Guid.NewGuid().ToString("N") + ".zip");
            var total = folder.TotalBytes;
            try
            {
                using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    ArchiveWriter.Write(folder, output, "kernel-upload " + Guid.NewGuid().ToString("N"), observer, cancellationToken);
                }

                observer.Progress(new OperationProgress(OperationPhase.Compress, total, total, "Compressed", completed: true));
                return new AppArchive(path, folder.Files.Count, total);
            }
            catch
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                }

                throw;
            }
        }
    }
}
