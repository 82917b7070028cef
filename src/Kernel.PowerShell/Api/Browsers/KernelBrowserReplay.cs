using System;
using System.Collections;
using System.Security;

namespace Kernel.PowerShell
{
    /// <summary>A video recording of a browser session. Its view URL carries a token, so it is a SecureString.</summary>
    public sealed class KernelBrowserReplay
    {
        internal KernelBrowserReplay(string replayId, string browserId, DateTimeOffset? startedAt, DateTimeOffset? finishedAt, SecureString? viewUrl)
        {
            ReplayId = replayId;
            BrowserId = browserId;
            StartedAt = startedAt;
            FinishedAt = finishedAt;
            ViewUrl = viewUrl;
        }

        /// <summary>Builds a replay from a hashtable, for tests and mocks: <c>[KernelBrowserReplay]@{ ReplayId = 'r1'; BrowserId = 'b1' }</c>.</summary>
        public KernelBrowserReplay(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelBrowserReplay));
            ReplayId = given.Required<string>(nameof(ReplayId));
            BrowserId = given.Required<string>(nameof(BrowserId));
            StartedAt = given.Optional<DateTimeOffset?>(nameof(StartedAt), null);
            FinishedAt = given.Optional<DateTimeOffset?>(nameof(FinishedAt), null);
            ViewUrl = given.Secret(nameof(ViewUrl));
            given.RequireNoOthers();
        }

        /// <summary>The replay's id (the API's replay_id).</summary>
        public string ReplayId { get; }

        /// <summary>The session id of the browser it records.</summary>
        public string BrowserId { get; }

        /// <summary>recording until it is stopped (or reaches its maximum duration), then finished.</summary>
        public string Status => FinishedAt == null ? "recording" : "finished";

        public DateTimeOffset? StartedAt { get; }

        public DateTimeOffset? FinishedAt { get; }

        /// <summary>How long it recorded; so far while it still records.</summary>
        public TimeSpan? Duration => StartedAt is { } start ? (FinishedAt ?? DateTimeOffset.UtcNow) - start : (TimeSpan?)null;

        /// <summary>Where Kernel shows the replay, with its token.</summary>
        public SecureString? ViewUrl { get; }

        public override string ToString() => ReplayId;

        internal KernelBrowserReplay WithBrowser(string browserId) => new KernelBrowserReplay(ReplayId, browserId, StartedAt, FinishedAt, ViewUrl);
    }
}
