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
        /// An archive upload (<paramref name="post"/> is one attempt), sent again only when the server refused it
        /// outright (<see cref="IsRefusal"/>: it cannot have made anything), so one call never makes two objects. A
        /// failure of the archive itself (a file that cannot be read) cut the body short on purpose: it is the reason
        /// given, as it was thrown, and nothing is sent again. Another failure that may have arrived goes to
        /// <paramref name="mayHaveArrived"/> when there is one. On success the server's checksum of the archive is
        /// compared with the one sent: a difference is a warning.
        /// </summary>
        /// <param name="path">The collection POSTed to (for the messages).</param>
        /// <param name="archiveFailure">The current attempt's archive failure, if any.</param>
        /// <param name="sentChecksum">The SHA-256 of the archive as sent, once it went out whole.</param>
        /// <param name="received">What was made ("Deployment d1") and the server's checksum of its archive.</param>
        private async Task<T> PostArchiveAsync<T>(
            string path,
            Func<Task<T>> post,
            Func<Exception?> archiveFailure,
            Func<string?> sentChecksum,
            Func<T, (string What, string? Checksum)> received,
            Func<Exception, Task<T>>? mayHaveArrived,
            IOperationObserver observer,
            CancellationToken cancellationToken)
        {
            for (var retries = 0; ; retries++)
            {
                try
                {
                    var made = await post().ConfigureAwait(false);
                    CompareChecksums(sentChecksum(), received(made), observer);
                    return made;
                }
                catch (Exception) when (archiveFailure() is { } failure)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                    throw;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && retries < Retries.MaxRetries && IsRefusal(ex))
                {
                    var delay = Retries.Delay(retries, ex);
                    observer.Verbose($"POST /{path} was not accepted ({ex.Message}); sending it again in {delay.TotalSeconds:0.0} s (retry {retries + 1} of {Retries.MaxRetries}).");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (mayHaveArrived != null && !cancellationToken.IsCancellationRequested && !IsRefusal(ex) && MayHaveArrived(ex))
                {
                    return await mayHaveArrived(ex).ConfigureAwait(false);
                }
            }
        }

        private static void CompareChecksums(string? sent, (string What, string? Checksum) received, IOperationObserver observer)
        {
            if (sent == null)
            {
                return;
            }

            observer.Verbose($"Archive SHA-256 {sent}.");
            if (received.Checksum != null && !string.Equals(received.Checksum, sent, StringComparison.OrdinalIgnoreCase))
            {
                observer.Warning($"{received.What}: the server's checksum of the archive ({received.Checksum}) differs from what was sent ({sent}).");
            }
        }

        /// <summary>The server refused the request outright (it cannot have created anything): sending again is safe.</summary>
        internal static bool IsRefusal(Exception ex) =>
            (ex is KernelConnectionException connection && connection.BeforeSending)
            || (ex is KernelApiException api && (int)api.StatusCode == 429 && api.ShouldRetry != false);

        /// <summary>The body may have reached the server even though no good answer came back.</summary>
        private static bool MayHaveArrived(Exception ex) =>
            ex is KernelConnectionException || ex is TimeoutException || (ex is KernelApiException api && (int)api.StatusCode >= 500);

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
