using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// The <c>file</c> part of a multipart upload (a deployment's app, an extension): the archive written into the
    /// request body as it is sent, each chunk reported and hashed, so the checksum of exactly what went out is
    /// known with its last byte.
    /// </summary>
    internal sealed class ArchiveContent : HttpContent
    {
        private readonly IArchiveSource _archive;
        private readonly IOperationObserver _observer;
        private readonly Action<long> _bytesSent;
        private readonly Action<string, long> _sentWhole;
        private readonly Action<Exception> _archiveFailed;
        private readonly CancellationToken _cancellationToken;

        /// <param name="sentWhole">Gets the hex SHA-256 and the length of the archive once all of it is out.</param>
        /// <param name="archiveFailed">Gets what went wrong with the archive itself (not the network), before it is rethrown.</param>
        public ArchiveContent(IArchiveSource archive, string fileName, IOperationObserver observer, Action<long> bytesSent, Action<string, long> sentWhole, Action<Exception> archiveFailed, CancellationToken cancellationToken)
        {
            _archive = archive;
            _observer = observer;
            _bytesSent = bytesSent;
            _sentWhole = sentWhole;
            _archiveFailed = archiveFailed;
            _cancellationToken = cancellationToken;
            Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"" + fileName + "\"" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            using var hashing = new HashingStream(stream, _bytesSent);
            try
            {
                await _archive.WriteToAsync(hashing, _observer, _cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!hashing.InnerFailed && !(ex is OperationCanceledException))
            {
                _archiveFailed(ex);
                throw;
            }

            await hashing.FlushAsync(_cancellationToken).ConfigureAwait(false);
            _sentWhole(hashing.Checksum(), hashing.Count);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _archive.Length ?? 0;
            return _archive.Length.HasValue;
        }
    }

    /// <summary>The text parts of a multipart upload.</summary>
    internal static class MultipartParts
    {
        /// <summary>A text field without a Content-Type, as curl and the Go SDK send them.</summary>
        public static void AddText(MultipartFormDataContent content, string name, string value)
        {
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"" + name + "\"" };
            content.Add(part);
        }
    }
}
