using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Stop-KernelInvocation: cancels invocations the way Kernel's CLI does on Ctrl+C: marks them failed with
    /// an output saying so, then deletes their browsers.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "KernelInvocation", SupportsShouldProcess = true)]
    [OutputType(typeof(KernelInvocation))]
    public sealed class StopKernelInvocationCommand : KernelSessionCmdlet
    {
        /// <summary>The invocation id; binds from the Id of piped invocations.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("InvocationId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InvocationIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>Write the stopped invocation to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            foreach (var id in Id)
            {
                if (!ShouldProcess($"invocation {id} on {session.BaseUri}", "Cancel and delete its browsers"))
                {
                    continue;
                }

                try
                {
                    var stopped = Run("Stopping invocation " + id, async (observer, token) =>
                    {
                        var invocation = await session.Client.UpdateInvocationAsync(id, InvocationStatus.Failed, KernelApiClient.CancelOutput, observer, token).ConfigureAwait(false);
                        await session.Client.DeleteInvocationBrowsersAsync(id, observer, token).ConfigureAwait(false);
                        return invocation;
                    });
                    WriteVerbose($"Cancelled invocation {id} and deleted its browsers.");
                    if (PassThru)
                    {
                        WriteObject(stopped);
                    }
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }
}
