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

        /// <summary>Only invocations of this app; wildcards allowed. A literal name with no invocation is an ObjectNotFound error.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
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
            if (ParameterSetName == IdSet)
            {
                WriteById(InvocationApi.Resource, Id, new Query());
                return;
            }

            var filter = new Query()
                .With("version", Version)
                .With("action_name", ActionName)
                .With("deployment_id", DeploymentId)
                .With("status", Status)
                .With("since", Since)
                .With("query", Query);
            WriteList(InvocationApi.Resource, filter, AppName == null ? null : new[] { AppName });
        }
    }
}
