using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Binary downloads (profiles, replay videos, extensions) streamed straight into a file.</summary>
    internal sealed partial class KernelApiClient
    {
        /// <summary>How long to wait before asking again after a 202 without Retry-After.</summary>
        internal static readonly TimeSpan NotReadyPollInterval = TimeSpan.FromSeconds(1);

        /// <summary>
        /// GETs <paramref name="path"/> into <paramref name="target"/> and puts the file in place, never holding the
        /// body in memory. While the API answers 202 (not ready yet) it asks again after Retry-After (else a second)
        /// until <paramref name="readyTimeout"/>, then gives up with a <see cref="KernelNotReadyException"/>. A
        /// failure while the body streams is retried like any safe request, from the start.
        /// </summary>
        public async Task<FileInfo> DownloadAsync(string path, string accept, FileDownload target, TimeSpan readyTimeout, string what, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var readyBy = DateTimeOffset.UtcNow + readyTimeout;
            for (var retries = 0; ; retries++)
            {
                try
                {
                    var notReady = await DownloadOnceAsync(path, accept, target, what, observer, cancellationToken).ConfigureAwait(false);
                    if (notReady == null)
                    {
                        return target.Commit();
                    }

                    // 202 is no failure: the retries start again. The last ask is at the deadline.
                    retries = -1;
                    var left = readyBy - DateTimeOffset.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        throw new KernelNotReadyException($"{KernelObjectNotFoundException.Capitalized(what)} was still not ready after {readyTimeout} (the API kept answering 202). Try again later, or give a longer -Timeout.");
                    }

                    var wait = notReady.Value < left ? notReady.Value : left;
                    observer.Verbose($"{KernelObjectNotFoundException.Capitalized(what)} is not ready yet (202); asking again in {wait.TotalSeconds:0.#} s.");
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && retries < Retries.MaxRetries && RetryPolicy.IsRetryable(ex))
                {
                    var delay = Retries.Delay(retries, ex);
                    observer.Verbose($"The download of {what} failed ({ex.Message}); retrying in {delay.TotalSeconds:0.0} s (retry {retries + 1} of {Retries.MaxRetries}).");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// A download that belongs to one object (a profile's saved state, an extension's archive), as
        /// <see cref="DownloadAsync"/>; a 404 is a <see cref="KernelObjectNotFoundException"/> naming the object.
        /// </summary>
        public Task<FileInfo> DownloadAboutAsync<T>(ApiResource<T> resource, string idOrName, string path, FileDownload target, TimeSpan readyTimeout, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class =>
            DownloadAboutAsync(resource.Noun, idOrName, path, "application/octet-stream", target, readyTimeout, observer, cancellationToken);

        /// <summary>A download that belongs to the <paramref name="noun"/> <paramref name="idOrName"/> (one that is no <see cref="ApiResource{T}"/>, such as a replay).</summary>
        public async Task<FileInfo> DownloadAboutAsync(string noun, string idOrName, string path, string accept, FileDownload target, TimeSpan readyTimeout, IOperationObserver observer, CancellationToken cancellationToken)
        {
            try
            {
                return await DownloadAsync(path, accept, target, readyTimeout, $"{noun} {idOrName}", observer, cancellationToken).ConfigureAwait(false);
            }
            catch (KernelApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw new KernelObjectNotFoundException(noun, idOrName, byName: false, ex);
            }
        }

        /// <summary>One attempt: null once the body is in the temporary file, or how long to wait after a 202.</summary>
        private async Task<TimeSpan?> DownloadOnceAsync(string path, string accept, FileDownload target, string what, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var watchdog = new IdleWatchdog(IdleTimeout, cancellationToken);
            watchdog.Kick(RequestTimeout); // the plain request timeout until the answer's headers are in
            using var request = NewRequest(HttpMethod.Get, path, accept);
            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watchdog.Token, observer).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return RetryPolicy.ReadRetryAfter(response, DateTimeOffset.UtcNow) ?? NotReadyPollInterval;
                }

                watchdog.Kick();
                var total = response.Content.Headers.ContentLength ?? -1;
                var progress = new Throttle(TimeSpan.FromMilliseconds(250));
                var file = target.Begin();
                var buffer = new byte[81920];
                long written = 0;
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);

                // A .NET Framework response stream ignores the token: disposing the response ends a silent read.
                using (watchdog.Token.Register(response.Dispose))
                {
                    while (true)
                    {
                        int read;
                        try
                        {
                            read = await body.ReadAsync(buffer, 0, buffer.Length, watchdog.Token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is HttpRequestException)
                        {
                            watchdog.Token.ThrowIfCancellationRequested();
                            throw new KernelConnectionException($"The download of {what} broke after {Bytes.Format(written)}: {Innermost(ex).Message}", ex);
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        await file.WriteAsync(buffer, 0, read, watchdog.Token).ConfigureAwait(false);
                        written += read;
                        watchdog.Kick();
                        if (progress.ShouldReport())
                        {
                            observer.Progress(new OperationProgress(OperationPhase.Download, written, total, total > 0 ? $"{Bytes.Format(written)} of {Bytes.Format(total)}" : $"{Bytes.Format(written)} received"));
                        }
                    }
                }

                if (total >= 0 && written != total)
                {
                    throw new KernelConnectionException($"The download of {what} ended after {Bytes.Format(written)} of {Bytes.Format(total)}.", null);
                }

                await file.FlushAsync(watchdog.Token).ConfigureAwait(false);
                observer.Progress(new OperationProgress(OperationPhase.Download, written, written, "Downloaded", completed: true));
                return null;
            }
            catch (OperationCanceledException) when (watchdog.TimedOut)
            {
                throw new TimeoutException($"The download of {what} got no answer or no data for {Math.Max(IdleTimeout.TotalSeconds, RequestTimeout.TotalSeconds):0} s.");
            }
        }
    }
}
