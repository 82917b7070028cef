using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Stop-KernelInvocation: cancels invocations the way Kernel's CLI does on Ctrl+C: marks them failed with
    /// an output saying so, then deletes their browsers. An invocation that already finished is left alone
    /// (its status and output are its result), so the impact stays Medium, like Stop-Process.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "KernelInvocation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
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
                    var (invocation, stopped) = Run("Stopping invocation " + id, (observer, token) => session.Client.CancelInvocationAsync(id, observer, token));
                    if (!stopped)
                    {
                        LeaveFinished(invocation);
                        continue;
                    }

                    WriteVerbose($"Cancelled invocation {id} and deleted its browsers.");
                    if (PassThru)
                    {
                        WriteObject(invocation);
                    }
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }
        }

        /// <summary>A finished invocation keeps its result: a warning says so, or an error where errors stop the script.</summary>
        private void LeaveFinished(KernelInvocation invocation)
        {
            var message = $"Invocation {invocation.Id} already {invocation.Status}{(invocation.FinishedAt is { } at ? " at " + at.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}; left unchanged.";
            if (ErrorActionIsStop)
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.InvocationAlreadyFinished, ErrorCategory.InvalidOperation, invocation, message));
            }
            else
            {
                WriteWarning(message);
            }
        }
    }
}
