using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Base of the cmdlets that talk to the API: they take -Session or use the runspace's default.</summary>
    public abstract partial class KernelSessionCmdlet : KernelCmdlet
    {
        /// <summary>The session to use; defaults to the one Connect-Kernel stored for this runspace.</summary>
        [Parameter]
        [ValidateNotNull]
        public KernelSession? Session { get; set; }

        /// <summary>
        /// Lists with -First/-Skip (SupportsPaging): streams every item of the API's pages to the pipeline,
        /// starting at -Skip and stopping after -First.
        /// </summary>
        internal void WritePaged<T>(string activity, Func<long, long, Func<T, bool>, IOperationObserver, CancellationToken, Task> list)
        {
            WriteTotalCount();
            var (skip, first) = Window.HandOver();
            if (first == 0)
            {
                return;
            }

            RunStreaming<T>(activity, (observer, emit, token) => list(skip, first, emit, observer, token));
        }

        /// <summary>-IncludeTotalCount: the API does not say how many items a list has, so the total is written as unknown, once.</summary>
        internal void WriteTotalCount()
        {
            if (PagingParameters != null && PagingParameters.IncludeTotalCount && !_totalCountWritten)
            {
                _totalCountWritten = true;
                WriteObject(PagingParameters.NewTotalCount(0, 0.0));
            }
        }

        private bool _totalCountWritten;

        /// <summary>
        /// -Session, else the runspace's default, else (for CI, where nobody runs Connect-Kernel) a default made
        /// from KERNEL_API_KEY and KERNEL_BASE_URL. Terminates when none is to be had.
        /// </summary>
        internal KernelApiClient ResolveClient() => ResolveSession().Client;

        /// <summary>The session to use (see <see cref="ResolveClient"/>).</summary>
        internal KernelSession ResolveSession()
        {
            var session = Session ?? SessionStore.Default ?? ConnectFromEnvironment();
            if (session == null)
            {
                ThrowTerminatingError(ErrorCatalog.Create(
                    ErrorCatalog.NotConnected,
                    ErrorCategory.ConnectionError,
                    null,
                    "Not connected to Kernel: run Connect-Kernel first (or pass -Session, or set KERNEL_API_KEY)."));
            }

            if (session!.IsClosed)
            {
                ThrowTerminatingError(ErrorCatalog.Create(
                    ErrorCatalog.SessionClosed,
                    ErrorCategory.ResourceUnavailable,
                    session,
                    $"{session} was disconnected; run Connect-Kernel again."));
            }

            return session;
        }

        private KernelSession? ConnectFromEnvironment()
        {
            var key = SessionStore.ApiKeyFromEnvironment();
            if (key == null)
            {
                return null;
            }

            Uri baseUri;
            try
            {
                baseUri = SessionStore.ResolveBaseUri(null);
                SessionStore.RequireSafeTransport(baseUri, allowInsecureHttp: false);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBaseUri, ErrorCategory.InvalidArgument, null, ex.Message, ex));
                throw;
            }
            catch (InsecureTransportException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InsecureHttp, ErrorCategory.SecurityError, null, ex.Message, ex));
                throw;
            }

            var session = new KernelSession(baseUri, key, SessionStore.ApiKeyVariable + " environment variable", null);
            SessionStore.Default = session;
            WriteVerbose($"Not connected: using {session.ApiKeySource} for {baseUri} as this runspace's default session.");
            return session;
        }
    }
}
