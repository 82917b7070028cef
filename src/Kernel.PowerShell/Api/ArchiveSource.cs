using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>The ZIP an upload carries: a file on disk, or an archive written while it is sent.</summary>
    internal interface IArchiveSource
    {
        /// <summary>The size in bytes when known before sending (then the request has a Content-Length).</summary>
        long? Length { get; }

        /// <summary>True when the archive was made for this upload alone, so its checksum names it exactly.</summary>
        bool IsUnique { get; }

        /// <summary>Writes the whole archive; writing it twice gives the same bytes.</summary>
        Task WriteToAsync(Stream target, IOperationObserver observer, CancellationToken cancellationToken);
    }

    /// <summary>A ZIP file that already exists.</summary>
    internal sealed class ArchiveFile : IArchiveSource
    {
        private readonly string _path;

        public ArchiveFile(string path, bool isUnique)
        {
            _path = path;
            IsUnique = isUnique;
        }

        public long? Length => new FileInfo(_path).Length;

        public bool IsUnique { get; }

        public async Task WriteToAsync(Stream target, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            var buffer = new byte[81920];
            int read;
            while ((read = await file.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Passes writes through, hashing and counting them: what was sent, exactly.</summary>
    internal sealed class HashingStream : Stream
    {
        private readonly Stream _inner;
        private readonly System.Security.Cryptography.IncrementalHash _sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        private readonly Action<long> _written;

        public HashingStream(Stream inner, Action<long> written)
        {
            _inner = inner;
            _written = written;
        }

        public long Count { get; private set; }

        /// <summary>True once a write to the inner stream (the network) failed, as opposed to the data's source.</summary>
        public bool InnerFailed { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        /// <summary>Hex SHA-256 of everything written.</summary>
        public string Checksum() => DeploymentUpload.Hex(_sha.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count)
        {
            try
            {
                _inner.Write(buffer, offset, count);
            }
            catch
            {
                InnerFailed = true;
                throw;
            }

            Track(buffer, offset, count);
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            try
            {
                await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                InnerFailed = true;
                throw;
            }

            Track(buffer, offset, count);
        }

        public override void Flush() => _inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _sha.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Track(byte[] buffer, int offset, int count)
        {
            _sha.AppendData(buffer, offset, count);
            Count += count;
            _written(Count);
        }
    }
}
