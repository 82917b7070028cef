using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelInvocation: one invocation by id, or the invocations that match, newest first.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelInvocation", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelInvocation))]
    public sealed class GetKernelInvocationCommand : KernelSessionCmdlet
    {
        private const string IdSet = "Id";
        private const string ListSet = "List";

        /// <summary>The invocation id; binds from the Id of piped invocations.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("InvocationId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InvocationIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>Only invocations of this app.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AppNameCompleter))]
        public string? AppName { get; set; }

        /// <summary>Only invocations of this app version.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Version { get; set; }

        /// <summary>Only invocations of this action.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ActionNameCompleter))]
        public string? ActionName { get; set; }

        /// <summary>Only invocations served by this deployment.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeploymentIdCompleter))]
        public string? DeploymentId { get; set; }

        /// <summary>Only invocations in this state.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet(InvocationStatus.Queued, InvocationStatus.Running, InvocationStatus.Succeeded, InvocationStatus.Failed)]
        public string? Status { get; set; }

        /// <summary>Only invocations started since then: a DateTime, a TimeSpan ago, or text such as 1h.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [SinceArgument]
        public string? Since { get; set; }

        /// <summary>Search by invocation id, app name or action name.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            if (ParameterSetName == ListSet)
            {
                var filter = new InvocationFilter
                {
                    AppName = AppName,
                    Version = Version,
                    ActionName = ActionName,
                    DeploymentId = DeploymentId,
                    Status = Status,
                    Since = Since,
                    Query = Query,
                };
                try
                {
                    WritePaged<KernelInvocation>("Listing invocations", (skip, first, emit, observer, token) =>
                        client.ListInvocationsAsync(filter, skip, first, emit, observer, token));
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, AppName);
                }

                return;
            }

            foreach (var id in Id)
            {
                try
                {
                    WriteObject(Run("Getting invocation " + id, (observer, token) => client.GetInvocationAsync(id, observer, token)));
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }
        }
    }
}
