using System.Management.Automation;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelSession: the runspace's default session, if there is one.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelSession")]
    [OutputType(typeof(KernelSession))]
    public sealed class GetKernelSessionCommand : KernelCmdlet
    {
        protected override void EndProcessing()
        {
            var session = SessionStore.Default;
            if (session != null)
            {
                WriteObject(session);
            }
        }
    }
}
