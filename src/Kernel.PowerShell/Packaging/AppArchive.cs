using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
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
        private static readonly HashSet<string> AlreadyCompressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".jar", ".whl", ".png", ".jpg", ".jpeg",
            ".gif", ".webp", ".avif", ".mp3", ".mp4", ".webm", ".woff", ".woff2", ".pdf",
        };

        private static readonly DateTime EarliestZipTime = new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Local);

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
            var throttle = new Throttle(TimeSpan.FromMilliseconds(250));
            try
            {
                using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920))
                using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: false))
                {
                    var folders = new HashSet<string>(StringComparer.Ordinal);
                    long done = 0;
                    var buffer = new byte[81920];
                    foreach (var file in folder.Files)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        AddFolderEntries(zip, folders, file.RelativePath);
                        var level = AlreadyCompressed.Contains(System.IO.Path.GetExtension(file.RelativePath))
                            ? CompressionLevel.NoCompression
                            : CompressionLevel.Optimal;
                        var entry = zip.CreateEntry(file.RelativePath, level);
                        entry.LastWriteTime = file.LastWriteTime < EarliestZipTime ? EarliestZipTime : file.LastWriteTime;
                        using (var source = OpenForReading(file))
                        using (var target = entry.Open())
                        {
                            int read;
                            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                target.Write(buffer, 0, read);
                                done += read;
                                if (throttle.ShouldReport())
                                {
                                    observer.Progress(new OperationProgress(OperationPhase.Compress, done, total, $"{file.RelativePath} ({Bytes.Format(done)} of {Bytes.Format(total)})"));
                                }
                            }
                        }
                    }
                }

                ZipComment.Set(path, "kernel-upload " + Guid.NewGuid().ToString("N"));
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

        private static FileStream OpenForReading(AppFile file)
        {
            try
            {
                return new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
            {
                throw new PackagingException(PackagingFailure.FileUnreadable, file.FullPath, $"Cannot read '{file.FullPath}': {ex.Message} Nothing was uploaded.", ex);
            }
        }

        private static void AddFolderEntries(ZipArchive zip, HashSet<string> folders, string filePath)
        {
            var slash = filePath.IndexOf('/');
            while (slash >= 0)
            {
                var folder = filePath.Substring(0, slash + 1);
                if (folders.Add(folder))
                {
                    zip.CreateEntry(folder);
                }

                slash = filePath.IndexOf('/', slash + 1);
            }
        }
    }
}
