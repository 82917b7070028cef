using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>A browser's replays (video recordings): list, start, stop, download. The browser is given by id.</summary>
    internal sealed partial class KernelApiClient
    {
        public async Task<IReadOnlyList<KernelBrowserReplay>> ListReplaysAsync(string browserId, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.Current.ParseResources<KernelBrowserReplay>(
                    await SendAboutAsync("browser", browserId, HttpMethod.Get, ReplaysPath(browserId), null, observer, cancellationToken).ConfigureAwait(false),
                    "replay")
                .Select(replay => replay.WithBrowser(browserId))
                .ToList();

        public async Task<KernelBrowserReplay> StartReplayAsync(string browserId, int? framerate, int? maxDurationSeconds, bool recordAudio, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.Current.ParseResource<KernelBrowserReplay>(await SendAboutAsync(
                    "browser",
                    browserId,
                    HttpMethod.Post,
                    ReplaysPath(browserId),
                    new[]
                    {
                        BrowserSettings.Field("framerate", framerate),
                        BrowserSettings.Field("max_duration_in_seconds", maxDurationSeconds),
                        BrowserSettings.Field("record_audio", recordAudio ? true : (bool?)null),
                    },
                    observer,
                    cancellationToken).ConfigureAwait(false))
                .WithBrowser(browserId);

        public Task StopReplayAsync(string browserId, string replayId, IOperationObserver observer, CancellationToken cancellationToken) =>
            SendAboutAsync("replay", replayId, HttpMethod.Post, ReplayPath(browserId, replayId) + "/stop", null, observer, cancellationToken);

        /// <summary>The video (MP4) into <paramref name="target"/>; waits while the API says it is still being written (202).</summary>
        public Task<FileInfo> DownloadReplayAsync(string browserId, string replayId, FileDownload target, TimeSpan readyTimeout, IOperationObserver observer, CancellationToken cancellationToken) =>
            DownloadAboutAsync("replay", replayId, ReplayPath(browserId, replayId), "video/mp4", target, readyTimeout, observer, cancellationToken);

        private static string ReplaysPath(string browserId) => BrowserApi.Resource.ItemPath(browserId) + "/replays";

        private static string ReplayPath(string browserId, string replayId) => ReplaysPath(browserId) + "/" + Uri.EscapeDataString(replayId);
    }
}
