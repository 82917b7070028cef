using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Lock-KernelBrowser: takes a warm browser from a pool for this job alone (the API's acquire), waiting up to
    /// -Timeout for one to come free. Give it back with Unlock-KernelBrowser, in a finally block. None free in time
    /// is a NoBrowserAvailable error; Ctrl+C ends the wait within a second.
    /// </summary>
    [Cmdlet(VerbsCommon.Lock, "KernelBrowser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelBrowser))]
    public sealed class LockKernelBrowserCommand : KernelSessionCmdlet
    {
        /// <summary>The pool: its name, its id, or a pool object (piped pools bind here).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelBrowserPoolReference Pool { get; set; } = null!;

        /// <summary>How long to wait for a browser to come free; 0 takes one only if one is free now. Default 5 minutes.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>A name for the browser while you hold it, unique among the project's active browsers.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Tags for the browser while you hold it: @{ job = 'nightly' }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        /// <summary>A page to open in the browser now, instead of the pool's start page (best effort on Kernel's side).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? StartUrl { get; set; }

        protected override void BeginProcessing()
        {
            if (Timeout < TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, Timeout, $"-Timeout must be zero or more, not {Timeout}."));
            }

            if (BrowserSettingsCmdlet.StartUrlProblem(StartUrl) is { } problem)
            {
                ThrowTerminatingError(problem);
            }
        }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            if (!ShouldProcess($"a browser of pool {Pool} on {session.BaseUri}", $"Take it for this job (waiting up to {Timeout} for one to come free)"))
            {
                return;
            }

            var pool = Pool.Id ?? Pool.IdOrName!;
            try
            {
                var browser = Run($"Taking a browser from pool {Pool}", (observer, token) => session.Client.AcquireBrowserAsync(
                    pool,
                    Timeout,
                    new[]
                    {
                        BrowserSettings.Field("name", Name),
                        BrowserSettings.Field("tags", BrowserSettingsCmdlet.Tags(Tag)),
                        BrowserSettings.Field("start_url", StartUrl?.AbsoluteUri),
                    },
                    observer,
                    token));
                if (browser == null)
                {
                    var fix = $"Try again later, wait longer (-Timeout), or make the pool bigger (Set-KernelBrowserPool -Size)";
                    var record = ErrorCatalog.Create(ErrorCatalog.NoBrowserAvailable, ErrorCategory.ResourceUnavailable, Pool, $"No browser of pool '{Pool}' came free within {Timeout}: all are taken or still being made.");
                    record.ErrorDetails = new ErrorDetails($"No browser of pool '{Pool}' came free within {Timeout}: all are taken or still being made. {fix}.") { RecommendedAction = fix + "." };
                    WriteError(record);
                    return;
                }

                session.Completions.Clear();
                WriteVerbose($"Took browser {browser.Id} from pool {browser.PoolName ?? browser.PoolId ?? pool}; give it back with Unlock-KernelBrowser.");
                WriteObject(browser);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, Pool);
            }
        }
    }

    /// <summary>
    /// Unlock-KernelBrowser: gives a browser taken with Lock-KernelBrowser back to its pool (the API's release). By
    /// default the browser ends and the pool makes a fresh one, so nothing a job leaves behind reaches the next;
    /// -Reuse puts it back as it is. Made for a finally block: no browser ($null) is nothing to do, and a browser
    /// that has already ended is a warning.
    /// </summary>
    [Cmdlet(VerbsCommon.Unlock, "KernelBrowser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class UnlockKernelBrowserCommand : KernelSessionCmdlet
    {
        /// <summary>The browser: a browser object from Lock-KernelBrowser (piped ones bind here), its session id, or its name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelBrowserReference? Browser { get; set; }

        /// <summary>The pool it was taken from; by default the one the browser says.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelBrowserPoolReference? Pool { get; set; }

        /// <summary>Put the browser back as it is (cookies, tabs and all) for the next job, instead of a fresh one.</summary>
        [Parameter]
        public SwitchParameter Reuse { get; set; }

        protected override void ProcessRecord()
        {
            if (Browser == null)
            {
                WriteVerbose("No browser to give back.");
                return;
            }

            var given = Browser.Resource as KernelBrowser;
            if (given != null && NotFromPool(given) is { } refusal)
            {
                WriteError(refusal);
                return;
            }

            var session = ResolveSession();
            var pool = Pool?.ToString() ?? given?.PoolName ?? given?.PoolId;
            if (!ShouldProcess($"browser {Browser} on {session.BaseUri}", $"Give back to {(pool == null ? "its pool" : $"pool {pool}")}{(Reuse ? " for reuse as it is" : " (it ends; the pool makes a fresh one)")}"))
            {
                return;
            }

            try
            {
                Run($"Giving back browser {Browser}", async (observer, token) =>
                {
                    var browser = given ?? await session.Client.GetAsync(BrowserApi.Resource, Browser.IdOrName!, new Query().WithFlag("include_deleted", true), observer, token).ConfigureAwait(false);
                    if (browser.DeletedAt != null)
                    {
                        observer.Warning(Ended(browser));
                        return true;
                    }

                    if (given == null && NotFromPool(browser) is { } refused)
                    {
                        throw new BrowserNotLeasedException(refused.Exception.Message);
                    }

                    var from = Pool == null ? browser.PoolId! : Pool.Id ?? Pool.IdOrName!;
                    try
                    {
                        await session.Client.ReleaseBrowserAsync(from, browser.Id, Reuse, observer, token).ConfigureAwait(false);
                    }
                    catch (KernelApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest || ex.StatusCode == HttpStatusCode.Conflict)
                    {
                        // Refused: not (or no longer) leased from that pool. A browser that ended meanwhile is gone, as asked.
                        var now = await session.Client.GetAsync(BrowserApi.Resource, browser.Id, new Query().WithFlag("include_deleted", true), observer, token).ConfigureAwait(false);
                        if (now.DeletedAt != null)
                        {
                            observer.Warning(Ended(now));
                            return true;
                        }

                        throw new BrowserNotLeasedException($"Browser {Describe(browser)} is not leased from pool {Pool?.ToString() ?? browser.PoolName ?? from}: {ex.Message}", ex);
                    }

                    observer.Verbose($"Gave browser {Describe(browser)} back to pool {Pool?.ToString() ?? browser.PoolName ?? from}{(Reuse ? " for reuse" : "; it ends and the pool makes a fresh one")}.");
                    return true;
                });
                session.Completions.Clear();
            }
            catch (BrowserNotLeasedException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorCatalog.BrowserNotLeased, ErrorCategory.InvalidOperation, Browser));
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, Browser);
            }
        }

        /// <summary>The error when the browser says it was not taken from the pool meant; null when it may have been.</summary>
        private ErrorRecord? NotFromPool(KernelBrowser browser)
        {
            string? why = null;
            if (browser.PoolId == null && Pool == null)
            {
                why = $"Browser {Describe(browser)} was not taken from a pool (it names none), so there is nothing to give back: end it with Remove-KernelBrowser, or name its pool with -Pool.";
            }
            else if (browser.PoolId != null && Pool != null && !IsPool(Pool, browser))
            {
                why = $"Browser {Describe(browser)} was taken from pool {browser.PoolName ?? browser.PoolId}, not from pool {Pool}.";
            }

            return why == null ? null : new ErrorRecord(new BrowserNotLeasedException(why), ErrorCatalog.BrowserNotLeased, ErrorCategory.InvalidOperation, Browser);
        }

        private static bool IsPool(KernelBrowserPoolReference pool, KernelBrowser browser) =>
            pool.Id != null
                ? pool.Id == browser.PoolId
                : pool.IdOrName == browser.PoolId || string.Equals(pool.IdOrName, browser.PoolName, StringComparison.OrdinalIgnoreCase);

        private static string Describe(KernelBrowser browser) => browser.Name == null ? browser.Id : $"{browser.Id} ({browser.Name})";

        private static string Ended(KernelBrowser browser) =>
            $"Browser {Describe(browser)} had already ended (removed, or its inactivity timeout): nothing to give back; the pool makes a fresh one.";

        /// <summary>The browser is not (or no longer) leased from the pool named.</summary>
        private sealed class BrowserNotLeasedException : InvalidOperationException
        {
            public BrowserNotLeasedException(string message, Exception? inner = null)
                : base(message, inner)
            {
            }
        }
    }
}
