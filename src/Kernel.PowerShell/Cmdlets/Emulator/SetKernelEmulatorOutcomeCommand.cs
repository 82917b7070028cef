using System;
using System.Collections.Generic;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Set-KernelEmulatorOutcome: scripts how the next deployments of an app end (failed, with a reason) or how the
    /// next invocations of an action end (succeeded or failed, with an output).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "KernelEmulatorOutcome", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = DeploymentSet)]
    [OutputType(typeof(void))]
    public sealed class SetKernelEmulatorOutcomeCommand : EmulatorControlCmdlet
    {
        private const string DeploymentSet = "Deployment";
        private const string InvocationSet = "Invocation";

        /// <summary>Fail the next deployments with this status reason, as a failed build would.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DeploymentSet)]
        [ValidateNotNullOrEmpty]
        public string DeploymentFailure { get; set; } = null!;

        /// <summary>End the next invocations with this status.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InvocationSet)]
        [ValidateSet(Kernel.PowerShell.InvocationStatus.Succeeded, Kernel.PowerShell.InvocationStatus.Failed)]
        public string InvocationStatus { get; set; } = null!;

        /// <summary>The invocations' output: a hashtable or object (sent as JSON) or JSON text. By default the emulator's echo of the payload.</summary>
        [Parameter(ParameterSetName = InvocationSet)]
        public object? Output { get; set; }

        /// <summary>Only deployments or invocations of this app; by default any.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AppName { get; set; }

        /// <summary>Only invocations of this action; by default any.</summary>
        [Parameter(ParameterSetName = InvocationSet)]
        [ValidateNotNullOrEmpty]
        public string? ActionName { get; set; }

        /// <summary>How many deployments or invocations end so (default 1).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Times { get; set; } = 1;

        protected override void ProcessRecord()
        {
            var next = Times == 1 ? "the next" : $"the next {Times}";
            if (ParameterSetName == DeploymentSet)
            {
                var failure = Fields(("app_name", AppName), ("reason", DeploymentFailure), ("times", Times));
                ControlIfConfirmed(
                    $"Fail {next} deployment(s) of {AppName ?? "any app"} with '{DeploymentFailure}'",
                    "Scripting deployment outcomes",
                    (control, token) => control.ScriptDeploymentFailureAsync(failure, token));
                return;
            }

            string? output;
            try
            {
                output = WireFormat.Current.PayloadJson(Output, "-Output");
            }
            catch (FormatException ex)
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.InvalidPayload, ErrorCategory.InvalidArgument, Output, ex.Message, ex));
                return;
            }

            var result = Fields(("app_name", AppName), ("action_name", ActionName), ("status", InvocationStatus), ("output", output), ("times", Times));
            ControlIfConfirmed(
                $"End {next} invocation(s) of {AppName ?? "any app"}/{ActionName ?? "any action"} as {InvocationStatus}",
                "Scripting invocation outcomes",
                (control, token) => control.ScriptInvocationResultAsync(result, token));
        }

        private static KeyValuePair<string, object?>[] Fields(params (string Name, object? Value)[] fields) =>
            Array.ConvertAll(fields, f => new KeyValuePair<string, object?>(f.Name, f.Value));
    }
}
