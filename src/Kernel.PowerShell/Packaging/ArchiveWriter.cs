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
    /// Writes an app folder as a ZIP, using every core: small files are read and deflated by workers ahead of
    /// the writer, which puts them out in order; big files are streamed through deflate by the writer itself,
    /// so memory stays bounded whatever the app's size. Already-compressed formats are stored, not deflated.
    /// </summary>
    internal static class ArchiveWriter
    {
        /// <summary>Files at least this big are streamed by the writer instead of deflated ahead in memory.</summary>
        internal const long StreamThreshold = 4 * 1024 * 1024;

        private const long InFlightBudget = 64L * 1024 * 1024;
        private static readonly TimeSpan WorkerGrace = TimeSpan.FromSeconds(1);
        private const int InFlightFiles = 512;

        private static readonly HashSet<string> AlreadyCompressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".jar", ".whl", ".png", ".jpg", ".jpeg",
            ".gif", ".webp", ".avif", ".mp3", ".mp4", ".webm", ".woff", ".woff2", ".pdf",
        };

        public static void Write(AppFolder folder, Stream output, string comment, CompressionLevel level, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var files = folder.Files;
            var state = new Pipeline(files.Count);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var workers = new Task[Math.Max(1, Math.Min(Environment.ProcessorCount, files.Count))];
            for (var w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Run(() => Deflate(files, level, state, stop.Token), stop.Token);
            }

            try
            {
                WriteInOrder(folder, output, comment, level, state, observer, stop.Token);
            }
            finally
            {
                stop.Cancel();
                lock (state.Gate)
                {
                    Monitor.PulseAll(state.Gate);
                }

                try
                {
                    // Workers stop at their next check; the archive is abandoned either way. One stuck opening a
                    // file (a hung share, a named pipe put in place of a file after the walk) is not waited for.
                    Task.WaitAll(workers, WorkerGrace);
                }
                catch (AggregateException)
                {
                }
            }
        }

        private static CompressionLevel LevelFor(AppFile file, CompressionLevel level) =>
            AlreadyCompressed.Contains(Path.GetExtension(file.RelativePath)) ? CompressionLevel.NoCompression : level;

        private static void Deflate(IReadOnlyList<AppFile> files, CompressionLevel level, Pipeline state, CancellationToken cancellationToken)
        {
            while (true)
            {
                var index = Interlocked.Increment(ref state.NextToClaim);
                if (index >= files.Count || cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var file = files[index];
                if (file.Length >= StreamThreshold)
                {
                    continue;
                }

                lock (state.Gate)
                {
                    while (!cancellationToken.IsCancellationRequested
                        && index != state.NextToWrite
                        && (index >= state.NextToWrite + InFlightFiles || state.InFlightBytes + file.Length > InFlightBudget))
                    {
                        Monitor.Wait(state.Gate, 100);
                    }

                    state.InFlightBytes += file.Length;
                }

                CompressedData? data = null;
                Exception? failure = null;
                try
                {
                    using var source = Open(file);
                    data = CompressedData.Of(source, file.Length, LevelFor(file, level));
                }
                catch (Exception ex)
                {
                    failure = ex is PackagingException ? ex : Unreadable(file, ex);
                }

                lock (state.Gate)
                {
                    state.Ready[index] = data;
                    state.Failure ??= failure;
                    Monitor.PulseAll(state.Gate);
                }
            }
        }

        private static void WriteInOrder(AppFolder folder, Stream output, string comment, CompressionLevel level, Pipeline state, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var zip = new ZipWriter(output);
            var folders = new HashSet<string>(StringComparer.Ordinal);
            var throttle = new Throttle(TimeSpan.FromMilliseconds(250));
            var total = folder.TotalBytes;
            long done = 0;
            for (var index = 0; index < folder.Files.Count; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var file = folder.Files[index];
                AddFolderEntries(zip, folders, file);
                var modified = file.LastWriteTime;
                if (file.Length >= StreamThreshold)
                {
                    using var source = Open(file);
                    try
                    {
                        zip.AddStreamed(file.RelativePath, modified, file.IsExecutable, source, LevelFor(file, level), read =>
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            done += read;
                            Report(observer, throttle, done, total, file);
                        });
                    }
                    catch (IOException ex) when (!(ex is EndOfStreamException))
                    {
                        throw Unreadable(file, ex);
                    }
                }
                else
                {
                    CompressedData data;
                    lock (state.Gate)
                    {
                        while (state.Ready[index] == null && state.Failure == null)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            Monitor.Wait(state.Gate, 100);
                        }

                        if (state.Failure != null)
                        {
                            throw state.Failure;
                        }

                        data = state.Ready[index]!;
                        state.Ready[index] = null;
                    }

                    zip.AddPrepared(file.RelativePath, modified, EntryModes.ForFile(file.IsExecutable, data.StartsWithShebang), data);
                    done += file.Length;
                    Report(observer, throttle, done, total, file);
                    lock (state.Gate)
                    {
                        state.InFlightBytes -= file.Length;
                    }
                }

                lock (state.Gate)
                {
                    state.NextToWrite = index + 1;
                    Monitor.PulseAll(state.Gate);
                }
            }

            zip.Finish(comment);
        }

        private static void Report(IOperationObserver observer, Throttle throttle, long done, long total, AppFile file)
        {
            if (throttle.ShouldReport())
            {
                observer.Progress(new OperationProgress(OperationPhase.Compress, done, total, $"{file.RelativePath} ({Bytes.Format(done)} of {Bytes.Format(total)})"));
            }
        }

        /// <summary>A folder entry for every folder that holds a file, once, like Kernel's CLI.</summary>
        private static void AddFolderEntries(ZipWriter zip, HashSet<string> folders, AppFile file)
        {
            var path = file.RelativePath;
            var slash = path.IndexOf('/');
            while (slash >= 0)
            {
                var name = path.Substring(0, slash + 1);
                if (folders.Add(name))
                {
                    zip.AddDirectory(name, file.LastWriteTime);
                }

                slash = path.IndexOf('/', slash + 1);
            }
        }

        private static FileStream Open(AppFile file)
        {
            try
            {
                return new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
            {
                throw Unreadable(file, ex);
            }
        }

        private static PackagingException Unreadable(AppFile file, Exception ex) =>
            new PackagingException(PackagingFailure.FileUnreadable, file.FullPath, $"Cannot read '{file.FullPath}': {ex.Message} Nothing was uploaded.", ex);

        /// <summary>What the writer and the workers share, guarded by <see cref="Gate"/>.</summary>
        private sealed class Pipeline
        {
            public Pipeline(int count)
            {
                Ready = new CompressedData?[count];
            }

            public object Gate { get; } = new object();

            public CompressedData?[] Ready { get; }

            public int NextToClaim = -1;

            public int NextToWrite;

            public long InFlightBytes;

            public Exception? Failure;
        }
    }
}
