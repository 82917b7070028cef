using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Text.Json;
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

        private static readonly JsonSerializerOptions BodyOptions = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };

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

        /// <summary>Longest wait for a sync invocation, which runs the action before answering (Kernel allows 100 s).</summary>
        public TimeSpan SyncInvocationTimeout { get; set; } = TimeSpan.FromSeconds(110);

        /// <summary>Longest silence tolerated while uploading or reading an event stream.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Sends a plain request (a JSON body or none) and returns the answer's body ("" for 204).</summary>
        internal async Task<string> SendAsync(HttpMethod method, string path, object? jsonBody, IOperationObserver observer, CancellationToken cancellationToken, TimeSpan? requestTimeout = null)
        {
            var limit = requestTimeout ?? RequestTimeout;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            using var request = NewRequest(method, path, method == HttpMethod.Delete ? "*/*" : "application/json");
            if (jsonBody != null)
            {
                request.Content = new StringContent(JsonSerializer.Serialize(jsonBody, jsonBody.GetType(), BodyOptions), Encoding.UTF8, "application/json");
            }

            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, observer).ConfigureAwait(false);
                return await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{method.Method} {BaseUri}{StripQuery(path)} got no answer within {limit.TotalSeconds:0} s.");
            }
        }

        /// <summary>
        /// Walks an offset-paged list (kernel-api.md §4): from <paramref name="skip"/>, handing items to
        /// <paramref name="emit"/> until it returns false, <paramref name="first"/> items went out, or the API
        /// says there is no more (X-Has-More false, X-Next-Offset 0 or absent, or an empty page). The next page
        /// starts where X-Next-Offset says, never at offset + page length.
        /// </summary>
        internal async Task ListAsync<T>(string path, Query query, long skip, long first, Func<JsonElement, T> convert, Func<T, bool> emit, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var offset = skip;
            var left = first;
            while (left > 0)
            {
                var limit = (int)Math.Min(MaxPageSize, left);
                var pagePath = path + query.With("limit", limit.ToString(CultureInfo.InvariantCulture)).With("offset", offset.ToString(CultureInfo.InvariantCulture));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(RequestTimeout);
                using var request = NewRequest(HttpMethod.Get, pagePath, "application/json");
                List<T> items;
                string? hasMore;
                string? nextOffset;
                try
                {
                    using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, observer).ConfigureAwait(false);
                    items = WireFormat.ParseArray(await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false), StripQuery(path), convert);
                    hasMore = Header(response, "X-Has-More");
                    nextOffset = Header(response, "X-Next-Offset");
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"GET {BaseUri}{StripQuery(path)} got no answer within {RequestTimeout.TotalSeconds:0} s.");
                }

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

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

        private static string StripQuery(string path)
        {
            var question = path.IndexOf('?');
            return question < 0 ? path : path.Substring(0, question);
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
