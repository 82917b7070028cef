using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Multipart uploads of an archive (deployments, extensions).</summary>
    internal sealed partial class KernelApiClient
    {
        /// <summary>
        /// POSTs a multipart body whose archive part is written while it is sent, with upload progress. An idle
        /// timeout replaces the fixed one while the body goes out, so a slow but moving upload is never cut; once
        /// it is out, the answer has the plain request timeout. Sent once: what a failure means (could it have
        /// arrived?) is the caller's to decide. An archive of unknown size goes chunked.
        /// </summary>
        /// <param name="content">Builds the body from the callbacks for bytes sent and for the archive sent whole.</param>
        private async Task<string> UploadAsync(string path, IArchiveSource? archive, Func<Action<long>, Action, CancellationToken, HttpContent> content, string describe, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var watchdog = new IdleWatchdog(IdleTimeout, cancellationToken);
            var total = archive?.Length ?? 0;
            var progress = new Throttle(TimeSpan.FromMilliseconds(250));
            long sent = 0;
            var sentWhole = false;
            using var request = NewRequest(HttpMethod.Post, path, "application/json");
            request.Content = content(
                bytes =>
                {
                    sent = bytes;
                    watchdog.Kick();
                    if (progress.ShouldReport())
                    {
                        observer.Progress(new OperationProgress(OperationPhase.Upload, bytes, total, total > 0 ? $"{Bytes.Format(bytes)} of {Bytes.Format(total)}" : $"{Bytes.Format(bytes)} sent"));
                    }
                },
                () =>
                {
                    sentWhole = true;
                    watchdog.Kick(RequestTimeout); // The body is out: the answer now has the plain request timeout.
                },
                watchdog.Token);
            if (archive is { Length: null })
            {
                // Said outright: .NET Framework's handler (Windows PowerShell) would otherwise buffer a body of unknown
                // length whole before sending it (the archive in memory, over 2 GiB failing) with the answer's clock running.
                request.Headers.TransferEncodingChunked = true;
            }

            observer.Verbose(describe);
            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, watchdog.Token, observer).ConfigureAwait(false);
                observer.Progress(new OperationProgress(OperationPhase.Upload, sent, sent, "Uploaded", completed: true));
                return await ReadBodyAsync(response, watchdog.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (watchdog.TimedOut)
            {
                throw new TimeoutException(sentWhole
                    ? $"no answer within {RequestTimeout.TotalSeconds:0} s after the upload"
                    : $"the upload made no progress for {IdleTimeout.TotalSeconds:0} s");
            }
        }
    }
}
