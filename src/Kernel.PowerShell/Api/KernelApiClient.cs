using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// The Kernel REST API over one long-lived HttpClient. Every call takes the caller's cancellation token;
    /// plain requests get a per-attempt timeout, uploads and event streams an idle timeout instead, so a slow
    /// but moving transfer is never cut.
    /// </summary>
    internal sealed class KernelApiClient : IDisposable
    {
        internal static readonly string UserAgent = BuildUserAgent();

        private readonly HttpClient _http;
        private readonly SecureString _apiKey;
        private readonly string? _projectId;

        public KernelApiClient(Uri baseUri, SecureString apiKey, string? projectId, HttpMessageHandler? handler = null)
        {
            BaseUri = baseUri;
            _apiKey = apiKey;
            _projectId = projectId;
            _http = new HttpClient(handler ?? new HttpClientHandler(), disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }

        public Uri BaseUri { get; }

        /// <summary>Longest wait for a plain request's answer (the official SDKs use 60 s).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Longest silence tolerated while uploading or reading an event stream.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public async Task<KernelDeployment> CreateDeploymentAsync(DeploymentUpload upload, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var watchdog = new IdleWatchdog(IdleTimeout, cancellationToken);
            var total = new FileInfo(upload.ArchivePath).Length;
            var progress = new Throttle(TimeSpan.FromMilliseconds(250));
            using var request = NewRequest(HttpMethod.Post, "deployments", "application/json");
            request.Content = upload.BuildContent(sent =>
            {
                watchdog.Kick();
                if (progress.ShouldReport() || sent == total)
                {
                    observer.Progress(new OperationProgress(OperationPhase.Upload, sent, total, $"{Bytes.Format(sent)} of {Bytes.Format(total)}"));
                }
            });
            observer.Verbose($"Uploading {Bytes.Format(total)} to {BaseUri}deployments (fields: {upload.DescribeFields()}).");

            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, watchdog.Token, observer).ConfigureAwait(false);
                observer.Progress(new OperationProgress(OperationPhase.Upload, total, total, "Uploaded", completed: true));
                var body = await ReadBodyAsync(response, watchdog.Token).ConfigureAwait(false);
                return WireFormat.ParseDeployment(body);
            }
            catch (OperationCanceledException) when (watchdog.TimedOut)
            {
                throw new TimeoutException($"The upload to {BaseUri}deployments made no progress for {IdleTimeout.TotalSeconds:0} s.");
            }
        }

        public async Task<KernelDeployment> GetDeploymentAsync(string id, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            using var request = NewRequest(HttpMethod.Get, "deployments/" + Uri.EscapeDataString(id), "application/json");
            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, observer).ConfigureAwait(false);
                return WireFormat.ParseDeployment(await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"GET {BaseUri}deployments/{id} got no answer within {RequestTimeout.TotalSeconds:0} s.");
            }
        }

        /// <summary>
        /// Follows <c>GET /deployments/{id}/events</c>, handing each event to <paramref name="onEvent"/> until it
        /// returns false or the server ends the stream. Returns true when the handler stopped it.
        /// </summary>
        public async Task<bool> FollowDeploymentEventsAsync(string id, DateTimeOffset? since, Func<DeploymentEvent, bool> onEvent, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var watchdog = new IdleWatchdog(IdleTimeout, cancellationToken);
            var path = "deployments/" + Uri.EscapeDataString(id) + "/events";
            if (since.HasValue)
            {
                path += "?since=" + Uri.EscapeDataString(since.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            }

            using var request = NewRequest(HttpMethod.Get, path, "text/event-stream");
            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watchdog.Token, observer).ConfigureAwait(false);
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var reader = new ServerSentEventReader(stream) { DataReceived = watchdog.Kick };
                while (true)
                {
                    string? data;
                    try
                    {
                        data = await reader.ReadMessageAsync(watchdog.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is HttpRequestException)
                    {
                        watchdog.Token.ThrowIfCancellationRequested();
                        throw new KernelConnectionException($"The event stream of deployment {id} broke: {Innermost(ex).Message}", ex);
                    }

                    if (data == null)
                    {
                        return false;
                    }

                    if (!onEvent(DeploymentEvent.Parse(id, data)))
                    {
                        return true;
                    }
                }
            }
            catch (OperationCanceledException) when (watchdog.TimedOut)
            {
                throw new TimeoutException($"The event stream of deployment {id} was silent for {IdleTimeout.TotalSeconds:0} s.");
            }
        }

        public void Dispose() => _http.Dispose();

        private HttpRequestMessage NewRequest(HttpMethod method, string relativePath, string accept)
        {
            var request = new HttpRequestMessage(method, new Uri(BaseUri, relativePath));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new NetworkCredential(string.Empty, _apiKey).Password);
            if (!string.IsNullOrEmpty(_projectId))
            {
                request.Headers.Add("X-Kernel-Project-Id", _projectId);
            }

            return request;
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken, IOperationObserver observer)
        {
            observer.Debug(HttpLogFormatter.FormatRequest(request));
            var clock = Stopwatch.StartNew();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new KernelConnectionException($"Could not reach the Kernel API at {BaseUri}: {Innermost(ex).Message}", ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient reports a dropped connection during the body as a cancellation on some runtimes.
                throw new KernelConnectionException($"The connection to {BaseUri} was closed before the answer arrived.", null);
            }

            observer.Debug(HttpLogFormatter.FormatResponse(response, clock.Elapsed));
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                var error = WireFormat.TryParseError(body);
                var detail = error?.Message ?? SingleLine(body, response.ReasonPhrase ?? string.Empty);
                throw new KernelApiException(response.StatusCode, request.Method.Method, request.RequestUri!.AbsolutePath, error?.Code, detail, RequestId(response));
            }
        }

        private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(response.Dispose))
            {
                try
                {
                    return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ObjectDisposedException || ex is IOException || ex is HttpRequestException)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new KernelConnectionException($"The connection broke while reading the answer: {Innermost(ex).Message}", ex);
                }
            }
        }

        private static string? RequestId(HttpResponseMessage response)
        {
            foreach (var name in new[] { "X-Request-Id", "Request-Id" })
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    return string.Join(",", values);
                }
            }

            return null;
        }

        private static string SingleLine(string body, string fallback)
        {
            var text = string.IsNullOrWhiteSpace(body) ? fallback : body.Replace("\r", " ").Replace("\n", " ").Trim();
            return text.Length <= 200 ? text : text.Substring(0, 200) + "…";
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }

        private static string BuildUserAgent()
        {
            var assembly = typeof(KernelApiClient).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version!.ToString();
            var plus = version.IndexOf('+');
            if (plus >= 0)
            {
                version = version.Substring(0, plus);
            }

            return $"Kernel.PowerShell/{version} ({RuntimeInformation.OSDescription.Trim()}; {RuntimeInformation.FrameworkDescription.Trim()})"
                .Replace("\r", " ").Replace("\n", " ");
        }
    }
}
