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
    /// comment included, so the checksum can be recomputed if the upload breaks. Past <c>maxBytes</c> written,
    /// the write fails (<see cref="PackagingFailure.ArchiveTooLarge"/>): the limit is on what is sent, which
    /// for compressible files is far less than their size on disk.
    /// </summary>
    internal sealed class FolderArchive : IArchiveSource
    {
        private readonly AppFolder _folder;
        private readonly CompressionLevel _level;
        private readonly long _maxBytes;
        private readonly PackingOptions _options;
        private readonly string _comment = "kernel-upload " + Guid.NewGuid().ToString("N");

        public FolderArchive(AppFolder folder, CompressionLevel level = CompressionLevel.Optimal, long maxBytes = long.MaxValue, PackingOptions? options = null)
        {
            _folder = folder;
            _level = level;
            _maxBytes = maxBytes;
            _options = options ?? PackingOptions.Default;
        }

        public long? Length => null;

        public bool IsUnique => true;

        public Task WriteToAsync(Stream target, IOperationObserver observer, CancellationToken cancellationToken) =>
            UnlessCancelled(
                Task.Factory.StartNew(
                    () =>
                    {
                        // The writer's many small header writes would each become a network write (and a chunk).
                        // Not disposed: that would close the target, which belongs to the caller.
                        var buffered = new BufferedStream(new SizeLimit(target, _maxBytes, _folder.Root), 256 * 1024);
                        ArchiveWriter.Write(_folder, buffered, _comment, _level, observer, cancellationToken, _options);
                        buffered.Flush();

                        observer.Progress(new OperationProgress(OperationPhase.Compress, _folder.TotalBytes, _folder.TotalBytes, "Compressed", completed: true));
                    },
                    cancellationToken,
                    TaskCreationOptions.LongRunning, // the writer blocks on the network and on the workers: not a pool thread's job
                    TaskScheduler.Default),
                cancellationToken);

        /// <summary>
        /// Waits for the packing, or for cancellation, whichever comes first. A packer stuck in a system call
        /// that nothing interrupts (opening a file on a hung network share, or a named pipe put in place of a
        /// file after the walk) is left behind instead of waited for: it stops at its next look at the token.
        /// </summary>
        private static async Task UnlessCancelled(Task packing, CancellationToken cancellationToken)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(packing, cancelled.Task).ConfigureAwait(false) != packing)
                {
                    _ = packing.ContinueWith(t => t.Exception, TaskScheduler.Default);
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            await packing.ConfigureAwait(false);
        }

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
                TemporaryArchive.TryDelete(path, File.Delete);
                throw;
            }
        }

        /// <summary>Passes writes on until <c>limit</c> bytes, then fails the archive as too large.</summary>
        private sealed class SizeLimit : Stream
        {
            private readonly Stream _inner;
            private readonly long _limit;
            private readonly string _folder;
            private long _written;

            public SizeLimit(Stream inner, long limit, string folder)
            {
                _inner = inner;
                _limit = limit;
                _folder = folder;
            }

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => _written;

            public override long Position
            {
                get => _written;
                set => throw new NotSupportedException();
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (_written + count > _limit)
                {
                    throw new PackagingException(
                        PackagingFailure.ArchiveTooLarge,
                        _folder,
                        $"'{_folder}' is too large to deploy: its archive grew past -MaxArchiveSize {Bytes.Format(_limit)} while it was packed and sent, so the upload was stopped and nothing was deployed. Leave out what the app does not need (.gitignore, .ignore or -Exclude), or raise -MaxArchiveSize.");
                }

                _inner.Write(buffer, offset, count);
                _written += count;
            }

            public override void Flush() => _inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }

    /// <summary>A ZIP in a temporary file, deleted on <see cref="Dispose"/>.</summary>
    internal sealed class TemporaryArchive : IDisposable
    {
        private readonly Action<string> _delete;

        public TemporaryArchive(string path, Action<string>? delete = null)
        {
            Path = path;
            _delete = delete ?? File.Delete;
        }

        public string Path { get; }

        public long Length => new FileInfo(Path).Length;

        /// <summary>Deletes the file; a file that cannot be deleted is left for the OS's temp cleaner.</summary>
        public void Dispose() => TryDelete(Path, _delete);

        /// <summary>
        /// Deletes the file, and says so when it cannot (a virus scanner holding it, say): the deployment it
        /// carried went out fine, so that is a warning, never a failure.
        /// </summary>
        public void Delete(IOperationObserver observer)
        {
            if (TryDelete(Path, _delete) is { } failure)
            {
                observer.Warning($"Could not delete the temporary archive '{Path}' ({failure.Message}); the deployment is not affected. Delete the file yourself.");
            }
        }

        internal static Exception? TryDelete(string path, Action<string> delete)
        {
            try
            {
                delete(path);
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return ex;
            }
        }
    }
}
