using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Get-KernelSession: the session Kernel cmdlets use without -Session: the runspace's default, or, without one,
    /// the session the environment variables describe (made before any call, and not verified).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KernelSession")]
    [OutputType(typeof(KernelSession))]
    public sealed class GetKernelSessionCommand : KernelCmdlet
    {
        protected override void EndProcessing()
        {
            var session = DefaultSession();
            if (session != null)
            {
                WriteObject(session);
            }
        }
    }
}
