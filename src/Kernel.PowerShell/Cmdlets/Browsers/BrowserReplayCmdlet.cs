using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the replay cmdlets: the browser whose recordings they handle, by id, name or object. Piped browsers
    /// bind here, and so do piped replays (by their BrowserId).
    /// </summary>
    public abstract class BrowserReplayCmdlet : KernelSessionCmdlet
    {
        /// <summary>The browser: its session id, its name, or a browser object.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("BrowserId")]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public KernelBrowserReference Browser { get; set; } = null!;

        /// <summary>The browser's session id: the one given, or the one its name (or id) finds (a browser that does not exist is ObjectNotFound).</summary>
        internal async Task<string> BrowserIdAsync(KernelApiClient client, IOperationObserver observer, CancellationToken cancellationToken) =>
            Browser.Id ?? (await client.ResolveAsync(BrowserApi.Resource, Browser, observer, cancellationToken).ConfigureAwait(false)).Id;
    }
}
