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
        /// POST /deployments, safe against duplicates: it is sent again only when the server cannot have acted
        /// on it (no connection, or a 429 refusal). When the body may have arrived but the answer did not (a
        /// timeout, a dropped connection, a 5xx), the recent deployments are searched for this very upload
        /// (same checksum, entrypoint and time) instead: found, it is returned; not found, the error says
        /// nothing was created and the command can be run again.
        /// </summary>
        public Task<KernelDeployment> CreateDeploymentAsync(DeploymentUpload upload, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            return PostArchiveAsync(
                DeploymentApi.Resource.Path,
                () => PostDeploymentAsync(upload, observer, cancellationToken),
                () => upload.ArchiveFailure,
                () => upload.SentChecksum,
                created => ($"Deployment {created.Id}", created.SourceChecksum),
                async ex =>
                {
                    observer.Verbose($"POST /deployments got no usable answer ({ex.Message}); looking for the deployment it may have created.");
                    var found = await FindCreatedAsync(upload, started, observer, cancellationToken).ConfigureAwait(false);
                    if (found != null)
                    {
                        observer.Verbose($"The upload did arrive: deployment {found.Id} was created; continuing with it.");
                        return found;
                    }

                    throw new DeploymentNotCreatedException(
                        $"The deployment was not created: the upload failed ({ex.Message}) and no deployment of this upload exists on {BaseUri}. It is safe to run the command again.",
                        ex);
                },
                observer,
                cancellationToken);
        }

        private async Task<KernelDeployment> PostDeploymentAsync(DeploymentUpload upload, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var total = upload.Archive?.Length ?? 0;
            var body = await UploadAsync(
                "deployments",
                upload.Archive,
                (bytesSent, sentWhole, token) => upload.BuildContent(observer, bytesSent, sentWhole, token),
                upload.Archive == null
                    ? $"Creating a deployment from {upload.Source!.Url} at {upload.Source.Ref} on {BaseUri} (fields: {upload.DescribeFields()})."
                    : $"Uploading {(total > 0 ? Bytes.Format(total) : "the archive as it is packed")} to {BaseUri}deployments (fields: {upload.DescribeFields()}).",
                observer,
                cancellationToken).ConfigureAwait(false);
            return WireFormat.Current.ParseDeployment(body);
        }

        /// <summary>The deployment made from this upload since <paramref name="started"/>, if the server has one.</summary>
        private async Task<KernelDeployment?> FindCreatedAsync(DeploymentUpload upload, DateTimeOffset started, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var checksum = upload.Archive == null ? null : await upload.ArchiveChecksumAsync(observer, cancellationToken).ConfigureAwait(false);

            // An archive built for this upload has a checksum no other upload has, so a wide window is safe;
            // otherwise (a user's ZIP, GitHub) only what the server created after this upload began can be it.
            var since = upload.Archive?.IsUnique == true
                ? started - TimeSpan.FromMinutes(10)
                : started + ServerClockOffset - TimeSpan.FromSeconds(2);
            KernelDeployment? found = null;
            try
            {
                await ListAsync(DeploymentApi.Resource, new Query(), 0, MaxPageSize, d =>
                {
                    if (d.CreatedAt != DateTimeOffset.MinValue && d.CreatedAt < since)
                    {
                        return false;
                    }

                    var same = checksum != null
                        ? string.Equals(d.SourceChecksum, checksum, StringComparison.OrdinalIgnoreCase) && d.EntrypointRelPath == upload.EntrypointRelPath
                        : d.SourceType == "github" && d.SourceUrl == upload.Source!.Url && d.SourceRef == upload.Source.Ref;
                    if (same)
                    {
                        found = d;
                        return false;
                    }

                    return true;
                }, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
            {
                throw new DeploymentNotCreatedException(
                    $"Could not tell whether the deployment was created: the upload failed and looking it up failed too ({ex.Message}). Check with Get-KernelDeployment -First 5 before running the command again.",
                    ex,
                    certain: false);
            }

            return found;
        }

        public async Task<KernelDeployment> GetDeploymentAsync(string id, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.Current.ParseDeployment(await SendAsync(HttpMethod.Get, "deployments/" + Uri.EscapeDataString(id), null, observer, cancellationToken).ConfigureAwait(false));

        /// <summary>DELETE /deployments/{id}: stops it if live; the API answers 204 at once for settled ones.</summary>
        public Task DeleteDeploymentAsync(string id, IOperationObserver observer, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Delete, "deployments/" + Uri.EscapeDataString(id), null, observer, cancellationToken);

        /// <summary>Follows GET /deployments/{id}/events from <paramref name="since"/> (RFC 3339 or a duration such as 5m).</summary>
        public Task<bool> FollowDeploymentEventsAsync(string id, string? since, Func<KernelEvent, bool> onEvent, IOperationObserver observer, CancellationToken cancellationToken) =>
            FollowAsync("deployments/" + Uri.EscapeDataString(id) + "/events", since, data => onEvent(KernelEvent.Parse(id, data)), observer, cancellationToken);
    }

    /// <summary>Deployments as a resource: by id; the API filters them by their app's exact name (<c>app_name</c>), which the objects themselves do not carry.</summary>
    internal static class DeploymentApi
    {
        public static readonly ApiResource<KernelDeployment> Resource =
            new ApiResource<KernelDeployment>("deployments", "deployment", "deployments", d => d.Id, d => d.AppName, namesInPath: false, nameQuery: "app_name", namedAs: "of an app named");
    }
}

