using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Extensions (the pinned SDK's extensions.d.ts): addressed by id or name, names unique in a project and
    /// filtered exactly with <c>name</c>. An extension's own path serves its ZIP; its metadata is under <c>/metadata</c>.
    /// </summary>
    internal static class ExtensionApi
    {
        public static readonly ApiResource<KernelExtension> Resource =
            new ApiResource<KernelExtension>("extensions", "extension", "extensions", e => e.Id, e => e.Name, namesInPath: true, nameQuery: "name", readSuffix: "/metadata");
    }

    internal sealed partial class KernelApiClient
    {
        /// <summary>
        /// POST /extensions: the archive (streamed as it is packed) and the name, if any. Sent again only when it
        /// cannot have arrived (no connection, or a 429 refusal), so one call never makes two extensions.
        /// </summary>
        public Task<KernelExtension> UploadExtensionAsync(IArchiveSource archive, string? name, IOperationObserver observer, CancellationToken cancellationToken)
        {
            string? sentChecksum = null;
            Exception? archiveFailure = null;
            return PostArchiveAsync(
                ExtensionApi.Resource.Path,
                async () =>
                {
                    sentChecksum = null;
                    archiveFailure = null;
                    var body = await UploadAsync(
                        ExtensionApi.Resource.Path,
                        archive,
                        (bytesSent, sentWhole, token) =>
                        {
                            var content = new MultipartFormDataContent("kernel-ps-" + Guid.NewGuid().ToString("N"))
                            {
                                new ArchiveContent(archive, "extension.zip", observer, bytesSent, (checksum, _) => { sentChecksum = checksum; sentWhole(); }, failure => archiveFailure = failure, token),
                            };
                            if (name != null)
                            {
                                MultipartParts.AddText(content, "name", name);
                            }

                            return content;
                        },
                        $"Uploading {(archive.Length is { } length ? Bytes.Format(length) : "the extension as it is packed")} to {BaseUri}extensions (fields: file{(name == null ? string.Empty : ", name")}).",
                        observer,
                        cancellationToken).ConfigureAwait(false);
                    return WireFormat.Current.ParseResource<KernelExtension>(body);
                },
                () => archiveFailure,
                () => sentChecksum,
                extension => ($"Extension {extension.Id}", extension.Checksum),
                mayHaveArrived: null,
                observer,
                cancellationToken);
        }

        /// <summary>The extension's ZIP, exactly as it was uploaded.</summary>
        public Task<FileInfo> DownloadExtensionAsync(string idOrName, FileDownload target, TimeSpan readyTimeout, IOperationObserver observer, CancellationToken cancellationToken) =>
            DownloadAboutAsync(ExtensionApi.Resource, idOrName, ExtensionApi.Resource.ItemPath(idOrName), target, readyTimeout, observer, cancellationToken);

        /// <summary>An extension from the Chrome Web Store, unpacked by Kernel into a ZIP it can load (its Linux package).</summary>
        public Task<FileInfo> DownloadFromChromeWebStoreAsync(string url, FileDownload target, TimeSpan readyTimeout, IOperationObserver observer, CancellationToken cancellationToken) =>
            DownloadAsync(ExtensionApi.Resource.Path + "/from_chrome_store" + new Query().With("url", url), "application/octet-stream", target, readyTimeout, $"Chrome Web Store extension {url}", observer, cancellationToken);
    }
}
