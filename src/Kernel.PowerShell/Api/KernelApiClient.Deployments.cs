using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Deployments (kernel-api.md §6).</summary>
    internal sealed partial class KernelApiClient
    {
        /// <summary>
        /// POST /deployments. Never retried blindly (the body may have reached the server); the upload has an
        /// idle timeout instead of a total one, so a large archive on a slow link is not cut.
        /// </summary>
        public async Task<KernelDeployment> CreateDeploymentAsync(DeploymentUpload upload, IOperationObserver observer, CancellationToken cancellationToken)
        {
            using var watchdog = new IdleWatchdog(IdleTimeout, cancellationToken);
            var total = upload.ArchivePath == null ? 0 : new FileInfo(upload.ArchivePath).Length;
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
            observer.Verbose(upload.ArchivePath == null
                ? $"Creating a deployment from {upload.Source!.Url} at {upload.Source.Ref} on {BaseUri} (fields: {upload.DescribeFields()})."
                : $"Uploading {Bytes.Format(total)} to {BaseUri}deployments (fields: {upload.DescribeFields()}).");

            try
            {
                using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, watchdog.Token, observer).ConfigureAwait(false);
                observer.Progress(new OperationProgress(OperationPhase.Upload, total, total, "Uploaded", completed: true));
                return WireFormat.ParseDeployment(await ReadBodyAsync(response, watchdog.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (watchdog.TimedOut)
            {
                throw new TimeoutException($"The upload to {BaseUri}deployments made no progress for {IdleTimeout.TotalSeconds:0} s.");
            }
        }

        public async Task<KernelDeployment> GetDeploymentAsync(string id, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.ParseDeployment(await SendAsync(HttpMethod.Get, "deployments/" + Uri.EscapeDataString(id), null, observer, cancellationToken).ConfigureAwait(false));

        /// <summary>DELETE /deployments/{id}: stops it if live; the API answers 204 at once for settled ones.</summary>
        public Task DeleteDeploymentAsync(string id, IOperationObserver observer, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Delete, "deployments/" + Uri.EscapeDataString(id), null, observer, cancellationToken);

        public Task ListDeploymentsAsync(string? appName, string? appVersion, string? query, long skip, long first, Func<KernelDeployment, bool> emit, IOperationObserver observer, CancellationToken cancellationToken) =>
            ListAsync(
                "deployments",
                new Query().With("app_name", appName).With("app_version", appVersion).With("query", query),
                skip,
                first,
                WireFormat.ToDeployment,
                emit,
                observer,
                cancellationToken);

        /// <summary>Follows GET /deployments/{id}/events from <paramref name="since"/> (RFC 3339 or a duration such as 5m).</summary>
        public Task<bool> FollowDeploymentEventsAsync(string id, string? since, Func<KernelEvent, bool> onEvent, IOperationObserver observer, CancellationToken cancellationToken) =>
            FollowAsync("deployments/" + Uri.EscapeDataString(id) + "/events", since, data => onEvent(KernelEvent.Parse(id, data)), observer, cancellationToken);
    }
}
