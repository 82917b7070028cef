using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Wait-KernelInvocation: follows invocations to their end, logs on the Information stream.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "KernelInvocation")]
    [OutputType(typeof(KernelInvocation))]
    public sealed class WaitKernelInvocationCommand : InvocationCmdlet
    {
        /// <summary>The invocation id; binds from the Id of piped invocations.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("InvocationId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InvocationIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>How long to wait for each invocation (a TimeSpan, or seconds). Default 30 minutes.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

        protected override void BeginProcessing() => RequirePositive(Timeout, nameof(Timeout));

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            foreach (var id in Id)
            {
                FollowInvocation(client, id, Timeout, id);
            }
        }
    }
}
