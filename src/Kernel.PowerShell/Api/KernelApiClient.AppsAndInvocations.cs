using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Apps (kernel-api.md §7) and invocations (§8).</summary>
    internal sealed partial class KernelApiClient
    {
        /// <summary>The output the CLI sends when a user cancels an invocation (kernel-cli.md §6).</summary>
        internal const string CancelOutput = "{\"error\":\"Invocation cancelled by user\"}";

        /// <summary>
        /// POST /invocations; returns the new invocation's id. Never retried blindly: a second POST would run the
        /// action twice.
        /// </summary>
        /// <param name="answerTimeout">How long to wait for a sync invocation's answer (the action runs first); by default <see cref="SyncInvocationTimeout"/>.</param>
        public async Task<string> InvokeAsync(InvocationRequest invocation, IOperationObserver observer, CancellationToken cancellationToken, TimeSpan? answerTimeout = null)
        {
            var body = Fields(
                ("app_name", invocation.AppName),
                ("action_name", invocation.ActionName),
                ("version", invocation.Version),
                ("payload", invocation.Payload),
                ("async", invocation.Async),
                ("async_timeout_seconds", invocation.AsyncTimeoutSeconds));
            var json = await SendAsync(HttpMethod.Post, "invocations", body, observer, cancellationToken, invocation.Async ? RequestTimeout : answerTimeout ?? SyncInvocationTimeout).ConfigureAwait(false);
            return WireFormat.Current.ParseInvocationId(json)
                ?? throw new KernelProtocolException("The Kernel API accepted the invocation but sent no id.");
        }

        public async Task<KernelInvocation> GetInvocationAsync(string id, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.Current.ParseInvocation(await SendAsync(HttpMethod.Get, "invocations/" + Uri.EscapeDataString(id), null, observer, cancellationToken).ConfigureAwait(false));

        /// <summary>PATCH /invocations/{id}: succeeded or failed (failed cancels a running invocation).</summary>
        public async Task<KernelInvocation> UpdateInvocationAsync(string id, string status, string? output, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.Current.ParseInvocation(await SendAsync(new HttpMethod("PATCH"), "invocations/" + Uri.EscapeDataString(id), Fields(("status", status), ("output", output)), observer, cancellationToken).ConfigureAwait(false));

        /// <summary>
        /// Cancels an invocation the way the CLI does on Ctrl+C (failed with <see cref="CancelOutput"/>, then its
        /// browsers deleted), unless it already finished: a finished invocation's status and output are its result
        /// and are never rewritten. Returns the invocation and whether it was cancelled.
        /// </summary>
        public async Task<(KernelInvocation Invocation, bool Cancelled)> CancelInvocationAsync(string id, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var current = await GetInvocationAsync(id, observer, cancellationToken).ConfigureAwait(false);
            if (current.IsFinished)
            {
                return (current, false);
            }

            var cancelled = await UpdateInvocationAsync(id, InvocationStatus.Failed, CancelOutput, observer, cancellationToken).ConfigureAwait(false);
            await DeleteInvocationBrowsersAsync(id, observer, cancellationToken).ConfigureAwait(false);
            return (cancelled, true);
        }

        public Task DeleteInvocationBrowsersAsync(string id, IOperationObserver observer, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Delete, "invocations/" + Uri.EscapeDataString(id) + "/browsers", null, observer, cancellationToken);

        public Task<bool> FollowInvocationEventsAsync(string id, string? since, Func<KernelEvent, bool> onEvent, IOperationObserver observer, CancellationToken cancellationToken) =>
            FollowAsync("invocations/" + Uri.EscapeDataString(id) + "/events", since, data => onEvent(KernelEvent.Parse(id, data)), observer, cancellationToken);
    }

    internal sealed class InvocationRequest
    {
        public InvocationRequest(string appName, string actionName, string version, string? payload, bool isAsync, int? asyncTimeoutSeconds)
        {
            AppName = appName;
            ActionName = actionName;
            Version = version;
            Payload = payload;
            Async = isAsync;
            AsyncTimeoutSeconds = asyncTimeoutSeconds;
        }

        public string AppName { get; }

        public string ActionName { get; }

        public string Version { get; }

        /// <summary>JSON text, or null for no payload.</summary>
        public string? Payload { get; }

        public bool Async { get; }

        public int? AsyncTimeoutSeconds { get; }
    }

    /// <summary>App versions that running deployments serve, as a resource: named by their app (<c>app_name</c> filters exactly).</summary>
    internal static class AppApi
    {
        public static readonly ApiResource<KernelApp> Resource =
            new ApiResource<KernelApp>("apps", "app", "apps", a => a.Id, a => a.AppName, namesInPath: false, nameQuery: "app_name");
    }

    /// <summary>Invocations as a resource: by id, and named by their app (<c>app_name</c> filters exactly).</summary>
    internal static class InvocationApi
    {
        public static readonly ApiResource<KernelInvocation> Resource =
            new ApiResource<KernelInvocation>("invocations", "invocation", "invocations", i => i.Id, i => i.AppName, namesInPath: false, nameQuery: "app_name", namedAs: "of an app named");
    }
}

