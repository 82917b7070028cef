using System.Management.Automation;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Disconnect-Kernel: closes a session (by default this runspace's default) and forgets it.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Kernel", SupportsShouldProcess = true)]
    [OutputType(typeof(void))]
    public sealed class DisconnectKernelCommand : KernelCmdlet
    {
        /// <summary>The session to close; by default the runspace's default session.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public KernelSession? Session { get; set; }

        protected override void ProcessRecord()
        {
            var session = Session ?? SessionStore.Default;
            if (session == null)
            {
                WriteVerbose("Not connected: nothing to disconnect.");
                return;
            }

            if (!ShouldProcess(session.ToString(), "Disconnect"))
            {
                return;
            }

            if (ReferenceEquals(session, SessionStore.Default))
            {
                SessionStore.Default = null;
            }

            session.Dispose();
            WriteVerbose($"Disconnected {session}.");
        }
    }
}
