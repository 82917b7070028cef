using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Emulator
{
    /// <summary>
    /// The emulator's test controls under <c>/_emulator/</c> (faults, scripted outcomes, the request journal). They
    /// need no key and live only on the emulator, so this client is separate from the API client.
    /// </summary>
    internal sealed class EmulatorControl
    {
        private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

        // One client per connection pool, kept for the process like the pools themselves: the system-proxy setting
        // gives at most two (direct for a loopback emulator, the system's proxy for one elsewhere).
        private static readonly ConcurrentDictionary<HttpMessageHandler, HttpClient> Clients = new ConcurrentDictionary<HttpMessageHandler, HttpClient>();

        private readonly Uri _controls;
        private readonly HttpClient _http;

        public EmulatorControl(Uri baseUri)
        {
            BaseUri = baseUri;
            _controls = new Uri(baseUri, "_emulator/");

            // The API's own pools: a loopback emulator is reached directly, one named elsewhere
            // ([KernelEmulator]@{ BaseUri = ... }) through the system's proxy, as an API session would reach it.
            _http = Clients.GetOrAdd(
                ConnectionPools.For(baseUri, ProxySettings.System),
                handler => new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan });
        }

        public Uri BaseUri { get; }

        public async Task<KernelEmulatorFault> AddFaultAsync(IEnumerable<KeyValuePair<string, object?>> rule, CancellationToken cancellationToken) =>
            KernelEmulatorFault.FromPlain(Object(await SendAsync(HttpMethod.Post, "faults", rule, cancellationToken).ConfigureAwait(false), "fault"));

        public async Task<IReadOnlyList<KernelEmulatorFault>> GetFaultsAsync(CancellationToken cancellationToken) =>
            Array(await SendAsync(HttpMethod.Get, "faults", null, cancellationToken).ConfigureAwait(false), "fault list").Select(f => KernelEmulatorFault.FromPlain(Object(f, "fault"))).ToList();

        public Task ClearFaultsAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, "faults", null, cancellationToken);

        /// <summary>A scripted outcome: <paramref name="script"/> is deployment-failures, invocation-results, profile-downloads or proxy-checks.</summary>
        public Task ScriptAsync(string script, IEnumerable<KeyValuePair<string, object?>> outcome, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, "scripts/" + script, outcome, cancellationToken);

        public Task ClearScriptsAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, "scripts", null, cancellationToken);

        public async Task<IReadOnlyList<KernelEmulatorRequest>> GetJournalAsync(CancellationToken cancellationToken) =>
            Array(await SendAsync(HttpMethod.Get, "journal", null, cancellationToken).ConfigureAwait(false), "journal").Select(e => KernelEmulatorRequest.FromPlain(Object(e, "journal entry"))).ToList();

        public Task ClearJournalAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, "journal", null, cancellationToken);

        /// <summary>Changes the given settings and keeps the others.</summary>
        public Task UpdateSettingsAsync(IEnumerable<KeyValuePair<string, object?>> settings, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Put, "settings", settings, cancellationToken);

        private async Task<object?> SendAsync(HttpMethod method, string route, IEnumerable<KeyValuePair<string, object?>>? body, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            using var request = new HttpRequestMessage(method, new Uri(_controls, route));
            if (body != null)
            {
                request.Content = new StringContent(WireFormat.Current.BodyJson(body), Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new KernelConnectionException($"The Kernel emulator at {BaseUri} is not reachable (has it been stopped?): {ex.GetBaseException().Message}", ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The Kernel emulator at {BaseUri} did not answer {method.Method} /_emulator/{route} within {RequestTimeout.TotalSeconds:0} s.");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var error = WireFormat.Current.TryParseError(text);
                    throw new KernelApiException(response.StatusCode, method.Method, "/_emulator/" + route, error?.Code, error?.Message ?? text, null);
                }

                return response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? null : WireFormat.Current.ParseValue(text, "emulator answer");
            }
        }

        private static IDictionary Object(object? value, string what) =>
            value as IDictionary ?? throw new KernelProtocolException($"The Kernel emulator sent a {what} that is not a JSON object.");

        private static object?[] Array(object? value, string what) =>
            value as object?[] ?? throw new KernelProtocolException($"The Kernel emulator sent a {what} that is not a JSON array.");
    }
}
