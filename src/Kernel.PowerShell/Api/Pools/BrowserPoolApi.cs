using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Browser pools (the pinned SDK's browser-pools.d.ts): addressed by id or name, names unique in a project and filtered exactly with <c>name</c>.</summary>
    internal static class BrowserPoolApi
    {
        public static readonly ApiResource<KernelBrowserPool> Resource =
            new ApiResource<KernelBrowserPool>("browser_pools", "browser pool", "browser pools", p => p.Id, p => p.Name, namesInPath: true, nameQuery: "name");

        /// <summary>
        /// The longest single acquire request: a longer wait is several in a row (the API's advice on 204), so no
        /// proxy between here and Kernel sees a request idle for long.
        /// </summary>
        public static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(60);

        /// <summary>
        /// The pause before asking again after a 204 that came much sooner than the wait asked for (a server or a
        /// proxy that does not hold the request): 0.5 s, doubling while such answers go on, at most <see cref="LongestBackOff"/>.
        /// </summary>
        public static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(0.5);

        public static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(5);

        /// <summary>
        /// The pause after the <paramref name="quickAnswers"/>th 204 in a row that came too soon, never past the
        /// deadline, in whole milliseconds: Task.Delay drops a fraction, and a pause of 0.9 ms would be none at all.
        /// </summary>
        internal static TimeSpan BackOff(int quickAnswers, TimeSpan left)
        {
            var doubled = FirstBackOff.Ticks * Math.Pow(2, Math.Min(quickAnswers - 1, 16));
            var pause = TimeSpan.FromTicks((long)Math.Min(doubled, LongestBackOff.Ticks));
            var capped = left < pause ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : pause;
            return TimeSpan.FromMilliseconds(Math.Ceiling(capped.TotalMilliseconds));
        }

        /// <summary>What is left of a wait below which it counts as over (the pause's resolution).</summary>
        internal static readonly TimeSpan Over = TimeSpan.FromMilliseconds(1);
    }

    internal sealed partial class KernelApiClient
    {
        /// <summary>
        /// Takes a browser from the pool, waiting up to <paramref name="wait"/> for one to come free: long polls
        /// (acquire_timeout_seconds) of at most <see cref="BrowserPoolApi.LongestPoll"/>, each with a request timeout
        /// that outlasts the wait it asks for. Null when none came free in time (the API answered 204 until then);
        /// a zero wait asks once, for a browser free now. Never sent twice unless it cannot have arrived: a lease
        /// whose answer was lost is not taken again.
        /// </summary>
        /// <param name="lease">The lease's own fields (name, tags, start_url).</param>
        public async Task<KernelBrowser?> AcquireBrowserAsync(string pool, TimeSpan wait, IEnumerable<KeyValuePair<string, object?>> lease, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            var deadline = started + wait;
            var path = BrowserPoolApi.Resource.ItemPath(pool) + "/acquire";
            var quickAnswers = 0;
            while (true)
            {
                var left = deadline - DateTimeOffset.UtcNow;
                var poll = left <= TimeSpan.Zero ? TimeSpan.Zero : left < BrowserPoolApi.LongestPoll ? left : BrowserPoolApi.LongestPoll;
                var seconds = (int)Math.Ceiling(poll.TotalSeconds);
                observer.Progress(new OperationProgress(
                    OperationPhase.Wait,
                    (long)(DateTimeOffset.UtcNow - started).TotalSeconds,
                    (long)wait.TotalSeconds,
                    $"For a free browser of pool {pool} ({Math.Max(0, (int)Math.Ceiling(left.TotalSeconds))} s left)"));
                var fields = lease.Concat(new[] { BrowserSettings.Field("acquire_timeout_seconds", seconds) }).ToList();
                (string Body, HttpStatusCode Status) answer;
                var asked = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    answer = await SendForStatusAsync(HttpMethod.Post, path, fields, observer, cancellationToken, TimeSpan.FromSeconds(seconds) + RequestTimeout).ConfigureAwait(false);
                }
                catch (KernelApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new KernelObjectNotFoundException(BrowserPoolApi.Resource.Noun, pool, byName: false, ex);
                }

                if (answer.Status != HttpStatusCode.NoContent)
                {
                    return WireFormat.Current.ParseResource<KernelBrowser>(answer.Body);
                }

                if (deadline - DateTimeOffset.UtcNow < BrowserPoolApi.Over)
                {
                    return null;
                }

                // A 204 long before the wait asked for (a server or proxy that does not hold the request): asking
                // again at once would hammer the API until the deadline, so pause first, a little longer each time.
                if (asked.Elapsed.Ticks < TimeSpan.FromSeconds(seconds).Ticks / 2)
                {
                    var pause = BrowserPoolApi.BackOff(++quickAnswers, deadline - DateTimeOffset.UtcNow);
                    observer.Verbose($"No browser of pool {pool} is free, and the API answered after {asked.Elapsed.TotalSeconds:0.0} s instead of waiting up to {seconds} s; asking again in {pause.TotalSeconds:0.0} s ({Math.Ceiling((deadline - DateTimeOffset.UtcNow).TotalSeconds)} s left).");
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                quickAnswers = 0;
                observer.Verbose($"No browser of pool {pool} came free within {seconds} s; asking again ({Math.Ceiling((deadline - DateTimeOffset.UtcNow).TotalSeconds)} s left).");
            }
        }

        /// <summary>Gives a taken browser back: reused as it is, or ended and replaced by a fresh one.</summary>
        public Task ReleaseBrowserAsync(string pool, string sessionId, bool reuse, IOperationObserver observer, CancellationToken cancellationToken) =>
            SendAboutAsync(
                BrowserPoolApi.Resource,
                pool,
                HttpMethod.Post,
                BrowserPoolApi.Resource.ItemPath(pool) + "/release",
                new[] { BrowserSettings.Field("session_id", sessionId), BrowserSettings.Field("reuse", reuse) },
                observer,
                cancellationToken);

        /// <summary>Ends the pool's idle browsers (leased ones are left alone); the pool refills at its fill rate.</summary>
        public Task FlushBrowserPoolAsync(string pool, IOperationObserver observer, CancellationToken cancellationToken) =>
            SendAboutAsync(BrowserPoolApi.Resource, pool, HttpMethod.Post, BrowserPoolApi.Resource.ItemPath(pool) + "/flush", null, observer, cancellationToken);
    }
}
