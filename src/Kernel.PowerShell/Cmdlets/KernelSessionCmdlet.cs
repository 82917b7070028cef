using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Base of the cmdlets that talk to the API: they take -Session or use the runspace's default.</summary>
    public abstract class KernelSessionCmdlet : KernelCmdlet
    {
        /// <summary>The session to use; defaults to the one Connect-Kernel stored for this runspace.</summary>
        [Parameter]
        [ValidateNotNull]
        public KernelSession? Session { get; set; }

        /// <summary>
        /// -Session, else the runspace's default, else (for CI, where nobody runs Connect-Kernel) a default made
        /// from KERNEL_API_KEY and KERNEL_BASE_URL. Terminates when none is to be had.
        /// </summary>
        internal KernelApiClient ResolveClient()
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

            return session.Client;
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
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBaseUri, ErrorCategory.InvalidArgument, null, ex.Message, ex));
                throw;
            }

            var session = new KernelSession(baseUri, key, SessionStore.ApiKeyVariable + " environment variable", null);
            SessionStore.Default = session;
            WriteVerbose($"Not connected: using {session.ApiKeySource} for {baseUri} as this runspace's default session.");
            return session;
        }
    }
}
