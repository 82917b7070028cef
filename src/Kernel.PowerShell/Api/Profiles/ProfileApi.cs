using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Profiles: addressed by id or name, names unique in a project and filtered exactly with <c>name</c>.</summary>
    internal static class ProfileApi
    {
        public static readonly ApiResource<KernelProfile> Resource =
            new ApiResource<KernelProfile>("profiles", "profile", "profiles", p => p.Id, p => p.Name, namesInPath: true, nameQuery: "name");
    }

    internal sealed partial class KernelApiClient
    {
        /// <summary>
        /// The stored profile into <paramref name="target"/>: a zstd-compressed tar by default, a plain tar with
        /// <paramref name="format"/> tar. Waits while the API answers 202 (the profile has no saved state yet).
        /// </summary>
        public Task<FileInfo> DownloadProfileAsync(string idOrName, string? format, FileDownload target, TimeSpan readyTimeout, IOperationObserver observer, CancellationToken cancellationToken) =>
            DownloadAboutAsync(ProfileApi.Resource, idOrName, ProfileApi.Resource.ItemPath(idOrName) + "/download" + new Query().With("format", format), target, readyTimeout, observer, cancellationToken);
    }
}
