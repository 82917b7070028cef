using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Remove-KernelBrowser: ends browser sessions (a profile they save into is written as they end).</summary>
    [Cmdlet(VerbsCommon.Remove, "KernelBrowser", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveKernelBrowserCommand : RemoveResourceCmdlet<KernelBrowser>
    {
        internal override ApiResource<KernelBrowser> Resource => BrowserApi.Resource;

        internal override string RemoveAction => "End the session";
    }
}
