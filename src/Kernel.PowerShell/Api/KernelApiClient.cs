using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
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
    internal sealed partial class KernelApiClient : IDisposable
    {
        internal const int MaxPageSize = 100;
        internal static readonly string UserAgent = BuildUserAgent();

        private readonly HttpClient _http;
        private long _serverClockOffsetTicks;
        private readonly SecureString _apiKey;
        private readonly ProjectHeader? _project;
        private readonly string? _tlsChange;
        private int _toldTls;
        private int _answered;

        /// <summary>
        /// A client for <paramref name="baseUri"/>. Without <paramref name="handler"/> (which tests pass, and which is
        /// then the client's own), it uses the process's connection pool for its proxy setting (<see cref="ConnectionPools"/>).
        /// </summary>
        public KernelApiClient(Uri baseUri, SecureString apiKey, ProjectHeader? project, HttpMessageHandler? handler = null, ProxySettings? proxy = null)
        {
            BaseUri = baseUri;
            _apiKey = apiKey;
            _project = project;
            Proxy = proxy ?? ProxySettings.System;
            _tlsChange = DesktopTls.EnsureTls12();
            _http = new HttpClient(handler ?? ConnectionPools.For(baseUri, Proxy), disposeHandler: handler != null)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }

        public Uri BaseUri { get; }

        /// <summary>How requests reach <see cref="BaseUri"/>.</summary>
        public ProxySettings Proxy { get; }

        /// <summary>True once the API accepted a request: the endpoint, the key and the project are good.</summary>
        public bool HasAnswered => Volatile.Read(ref _answered) != 0;

        /// <summary>Longest wait for a plain request's answer (the official SDKs use 60 s).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Longest wait for a sync invocation, which runs the action before answering (Kernel allows 100 s).</summary>
        public TimeSpan SyncInvocationTimeout { get; set; } = TimeSpan.FromSeconds(110);

        /// <summary>Longest silence tolerated while uploading or reading an event stream.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How far the server's clock is ahead of ours, from the Date of its last answer (1 s resolution).</summary>
        public TimeSpan ServerClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _serverClockOffsetTicks));

        /// <summary>How often a failed safe request is tried again (the official SDKs' default is 2).</summary>
        public RetryPolicy Retries { get; set; } = new RetryPolicy(2);

        /// <summary>
        /// Sends a plain request (a JSON body or none) and returns the answer's body ("" for 204). GET, DELETE
        /// and PATCH are retried per <see cref="Retries"/>; a POST only when it cannot have reached the server
        /// (no connection, or a 429 refusal), so an action never runs twice.
        /// </summary>
        internal async Task<string> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, object?>>? jsonBody, IOperationObserver observer, CancellationToken cancellationToken, TimeSpan? requestTimeout = null) =>
            (await SendForStatusAsync(method, path, jsonBody, observer, cancellationToken, requestTimeout).ConfigureAwait(false)).Body;

        /// <summary>As <see cref="SendAsync(HttpMethod, string, IEnumerable{KeyValuePair{string, object}}, IOperationObserver, CancellationToken, TimeSpan?)"/>, with the success status (200, 201, 204 …).</summary>
        internal async Task<(string Body, HttpStatusCode Status)> SendForStatusAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, object?>>? jsonBody, IOperationObserver observer, CancellationToken cancellationToken, TimeSpan? requestTimeout = null)
        {
            var body = jsonBody == null ? null : WireFormat.Current.BodyJson(jsonBody);
            var (text, _, status) = await SendWithRetriesAsync(
                () =>
                {
                    var request = NewRequest(method, path, method == HttpMethod.Delete ? "*/*" : "application/json");
                    if (body != null)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }

                    return request;
                },
                idempotent: method != HttpMethod.Post,
                requestTimeout ?? RequestTimeout,
                observer,
                cancellationToken).ConfigureAwait(false);
            return (text, status);
        }

        /// <summary>One request with its retries: the body text, the answer's headers and its status.</summary>
        private async Task<(string Body, HttpResponseHeaders Headers, HttpStatusCode Status)> SendWithRetriesAsync(Func<HttpRequestMessage> build, bool idempotent, TimeSpan attemptTimeout, IOperationObserver observer, CancellationToken cancellationToken)
        {
            for (var retries = 0; ; retries++)
            {
                using var request = build();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(attemptTimeout);
                try
                {
                    if (retries > 0)
                    {
                        request.Headers.TryAddWithoutValidation("X-Retry-Count", retries.ToString(CultureInfo.InvariantCulture));
                    }

                    using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, observer).ConfigureAwait(false);
                    return (await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false), response.Headers, response.StatusCode);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && retries < Retries.MaxRetries && MayRetry(ex, idempotent, timeout.IsCancellationRequested))
                {
                    var failure = timeout.IsCancellationRequested && ex is OperationCanceledException
                        ? new TimeoutException($"no answer within {attemptTimeout.TotalSeconds:0} s")
                        : ex;
                    var delay = Retries.Delay(retries, failure);
                    observer.Verbose($"{request.Method.Method} {StripQuery(request.RequestUri!.AbsolutePath)} failed ({failure.Message}); retrying in {delay.TotalSeconds:0.0} s (retry {retries + 1} of {Retries.MaxRetries}).");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"{request.Method.Method} {BaseUri}{StripQuery(request.RequestUri!.PathAndQuery).TrimStart('/')} got no answer within {attemptTimeout.TotalSeconds:0} s.");
                }
            }
        }

        private static bool MayRetry(Exception failure, bool idempotent, bool timedOut)
        {
            if (idempotent)
            {
                return timedOut ? failure is OperationCanceledException : RetryPolicy.IsRetryable(failure);
            }

            // A POST is sent again only when the server cannot have acted on it.
            return (failure is KernelConnectionException connection && connection.BeforeSending)
                || (failure is KernelApiException api && (int)api.StatusCode == 429 && api.ShouldRetry != false);
        }

        /// <summary>
        /// Walks an offset-paged list (kernel-api.md §4): from <paramref name="skip"/>, handing items to
        /// <paramref name="emit"/> until it returns false, <paramref name="first"/> items went out, or the API
        /// says there is no more (X-Has-More false, X-Next-Offset 0 or absent, or an empty page). The next page
        /// starts where X-Next-Offset says, never at offset + page length.
        /// </summary>
        internal async Task ListAsync<T>(string path, Query query, long skip, long first, Func<string, string, IReadOnlyList<T>> parsePage, Func<T, bool> emit, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var offset = skip;
            var left = first;
            while (left > 0)
            {
                var limit = (int)Math.Min(MaxPageSize, left);
                var pagePath = path + query.With("limit", limit.ToString(CultureInfo.InvariantCulture)).With("offset", offset.ToString(CultureInfo.InvariantCulture));
                var (body, headers, _) = await SendWithRetriesAsync(() => NewRequest(HttpMethod.Get, pagePath, "application/json"), idempotent: true, RequestTimeout, observer, cancellationToken).ConfigureAwait(false);
                var items = parsePage(body, StripQuery(path));
                var hasMore = Header(headers, "X-Has-More");
                var nextOffset = Header(headers, "X-Next-Offset");

                foreach (var item in items)
                {
                    if (!emit(item) || --left == 0)
                    {
                        return;
                    }
                }

                if (items.Count == 0 || !string.Equals(hasMore, "true", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                if (!long.TryParse(nextOffset, NumberStyles.None, CultureInfo.InvariantCulture, out var next))
                {
                    throw new KernelProtocolException($"The Kernel API said {StripQuery(path)} has more items but sent no usable X-Next-Offset ('{nextOffset}').");
                }

                if (next == 0)
                {
                    return;
                }

                offset = next;
            }
        }

        /// <summary>
        /// Follows an event stream, handing each message's data to <paramref name="onMessage"/> until it returns
        /// false or the server ends the stream. Returns true when the handler stopped it.
        /// </summary>
        internal async Task<bool> FollowAsync(string path, string? since, Func<string, bool> onMessage, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var watchdog = new IdleWatchdog(IdleTimeout, cancellationToken);
            var streamPath = path + new Query().With("since", since);
            using var request = NewRequest(HttpMethod.Get, streamPath, "text/event-stream");
            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watchdog.Token, observer).ConfigureAwait(false);
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);

                // .NET Framework's response streams ignore ReadAsync's token: disposing the response is what ends a
                // read on Ctrl+C or when the idle watchdog fires (as ReadBodyAsync does for plain answers).
                using var abort = watchdog.Token.Register(response.Dispose);
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
                        throw new KernelConnectionException($"The event stream {path} broke: {Innermost(ex).Message}", ex);
                    }

                    if (data == null)
                    {
                        return false;
                    }

                    if (!onMessage(data))
                    {
                        return true;
                    }
                }
            }
            catch (OperationCanceledException) when (watchdog.TimedOut)
            {
                throw new TimeoutException($"The event stream {path} was silent for {IdleTimeout.TotalSeconds:0} s.");
            }
        }

        public void Dispose() => _http.Dispose();

        private HttpRequestMessage NewRequest(HttpMethod method, string relativePath, string accept)
        {
            var request = new HttpRequestMessage(method, new Uri(BaseUri, relativePath));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new NetworkCredential(string.Empty, _apiKey).Password);
            if (_project != null)
            {
                request.Headers.TryAddWithoutValidation(_project.Name, _project.Value);
            }

            return request;
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken, IOperationObserver observer)
        {
            // TLS 1.2 was added (once per process) before this client was made; each session's first request says so.
            if (_tlsChange != null && Interlocked.Exchange(ref _toldTls, 1) == 0)
            {
                observer.Debug(_tlsChange);
            }

            observer.Debug(HttpLogFormatter.FormatRequest(request));
            var clock = Stopwatch.StartNew();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (IsProxyAuthenticationFailure(ex))
            {
                throw ProxyAuthenticationFailure(ex);
            }
            catch (HttpRequestException ex)
            {
                throw new KernelConnectionException($"Could not reach the Kernel API at {BaseUri}: {Innermost(ex).Message}", ex, NeverConnected(ex));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient reports a dropped connection during the body as a cancellation on some runtimes.
                throw new KernelConnectionException($"The connection to {BaseUri} was closed before the answer arrived.", null);
            }

            observer.Debug(HttpLogFormatter.FormatResponse(response, clock.Elapsed));
            if (response.Headers.Date is { } serverNow)
            {
                Interlocked.Exchange(ref _serverClockOffsetTicks, (serverNow - DateTimeOffset.UtcNow).Ticks);
            }

            if (response.IsSuccessStatusCode)
            {
                Volatile.Write(ref _answered, 1);
                return response;
            }

            if (response.StatusCode == HttpStatusCode.ProxyAuthenticationRequired)
            {
                response.Dispose();
                throw ProxyAuthenticationFailure(null);
            }

            using (response)
            {
                var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                var error = WireFormat.Current.TryParseError(body);
                var detail = error?.Explained() ?? SingleLine(body, response.ReasonPhrase ?? string.Empty);
                throw new KernelApiException(
                    response.StatusCode,
                    request.Method.Method,
                    request.RequestUri!.AbsolutePath,
                    error?.Code,
                    detail,
                    RequestId(response),
                    RetryPolicy.ReadRetryAfter(response, DateTimeOffset.UtcNow),
                    RetryPolicy.ReadShouldRetry(response.Headers))
                {
                    Details = error?.Details.Select(d => d.ToString()).ToArray() ?? Array.Empty<string>(),
                    InnerError = error?.InnerError?.ToString(),
                };
            }
        }

        private KernelProxyAuthenticationException ProxyAuthenticationFailure(Exception? inner) =>
            new KernelProxyAuthenticationException(ConnectionPools.ProxyFor(BaseUri, Proxy), Proxy.DescribeCredentials(), Proxy.Credentials != null, inner);

        /// <summary>
        /// A 407 to the CONNECT that opens a tunnel to an https endpoint: .NET reports it as an exception, not as an
        /// answer, with the status in StatusCode where the runtime sets it (the property is .NET 5 and later, read by
        /// reflection since netstandard2.0 lacks it), else only in the message.
        /// </summary>
        internal static bool IsProxyAuthenticationFailure(HttpRequestException ex)
        {
            if (ex.GetType().GetProperty("StatusCode")?.GetValue(ex) is HttpStatusCode status)
            {
                return status == HttpStatusCode.ProxyAuthenticationRequired;
            }

            return ex.Message.IndexOf("proxy", StringComparison.OrdinalIgnoreCase) >= 0 && ex.Message.IndexOf("407", StringComparison.Ordinal) >= 0;
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

        private static string? Header(HttpResponseHeaders headers, string name) =>
            headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

        private static string StripQuery(string path)
        {
            var question = path.IndexOf('?');
            return question < 0 ? path : path.Substring(0, question);
        }

        /// <summary>True when the failure happened before a connection existed: the request never left.</summary>
        private static bool NeverConnected(Exception ex)
        {
            for (var inner = ex; inner != null; inner = inner.InnerException)
            {
                if (inner is System.Net.Sockets.SocketException socket)
                {
                    return socket.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused
                        || socket.SocketErrorCode == System.Net.Sockets.SocketError.HostNotFound
                        || socket.SocketErrorCode == System.Net.Sockets.SocketError.HostUnreachable
                        || socket.SocketErrorCode == System.Net.Sockets.SocketError.NetworkUnreachable
                        || socket.SocketErrorCode == System.Net.Sockets.SocketError.TryAgain;
                }
            }

            return false;
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

        /// <summary>A JSON request body's fields, in order; null values are left out when it is written.</summary>
        private static KeyValuePair<string, object?>[] Fields(params (string Name, object? Value)[] fields)
        {
            var pairs = new KeyValuePair<string, object?>[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                pairs[i] = new KeyValuePair<string, object?>(fields[i].Name, fields[i].Value);
            }

            return pairs;
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
