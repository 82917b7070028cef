using System;
using System.Collections.Generic;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Set-KernelEmulatorOutcome: scripts how the next deployments of an app end (failed, with a reason), how the
    /// next invocations of an action end (succeeded or failed, with an output), how many of a profile's next
    /// downloads answer 202 (not ready) before it is ready, or what a proxy's next health checks find.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "KernelEmulatorOutcome", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = DeploymentSet)]
    [OutputType(typeof(void))]
    public sealed class SetKernelEmulatorOutcomeCommand : EmulatorControlCmdlet
    {
        private const string DeploymentSet = "Deployment";
        private const string InvocationSet = "Invocation";
        private const string ProfileSet = "ProfileDownload";
        private const string ProxySet = "ProxyCheck";

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

        /// <summary>Answer the next -Times downloads of a profile with 202 (not ready); then the profile is ready (it gets a saved state if it had none).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProfileSet)]
        public SwitchParameter ProfileNotReady { get; set; }

        /// <summary>Only downloads of this profile (name or id); by default any.</summary>
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        public string? ProfileName { get; set; }

        /// <summary>What the next -Times health checks of a proxy find.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProxySet)]
        [ValidateSet("available", "unavailable")]
        public string ProxyCheckStatus { get; set; } = null!;

        /// <summary>Only checks of this proxy (name or id); by default any.</summary>
        [Parameter(ParameterSetName = ProxySet)]
        [ValidateNotNullOrEmpty]
        public string? ProxyName { get; set; }

        /// <summary>Only deployments or invocations of this app; by default any.</summary>
        [Parameter(ParameterSetName = DeploymentSet)]
        [Parameter(ParameterSetName = InvocationSet)]
        [ValidateNotNullOrEmpty]
        public string? AppName { get; set; }

        /// <summary>Only invocations of this action; by default any.</summary>
        [Parameter(ParameterSetName = InvocationSet)]
        [ValidateNotNullOrEmpty]
        public string? ActionName { get; set; }

        /// <summary>How many deployments, invocations, downloads or checks end so (default 1).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Times { get; set; } = 1;

        protected override void ProcessRecord()
        {
            var next = Times == 1 ? "the next" : $"the next {Times}";
            switch (ParameterSetName)
            {
                case DeploymentSet:
                    Script("deployment-failures", $"Fail {next} deployment(s) of {AppName ?? "any app"} with '{DeploymentFailure}'", ("app_name", AppName), ("reason", DeploymentFailure), ("times", Times));
                    return;
                case ProfileSet:
                    Script("profile-downloads", $"Answer {next} download(s) of profile {ProfileName ?? "(any)"} with 202, then have it ready", ("profile", ProfileName), ("not_ready", Times));
                    return;
                case ProxySet:
                    Script("proxy-checks", $"Have {next} check(s) of proxy {ProxyName ?? "(any)"} find it {ProxyCheckStatus}", ("proxy", ProxyName), ("status", ProxyCheckStatus), ("times", Times));
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

            Script("invocation-results", $"End {next} invocation(s) of {AppName ?? "any app"}/{ActionName ?? "any action"} as {InvocationStatus}", ("app_name", AppName), ("action_name", ActionName), ("status", InvocationStatus), ("output", output), ("times", Times));
        }

        private void Script(string script, string what, params (string Name, object? Value)[] fields)
        {
            var outcome = Array.ConvertAll(fields, f => new KeyValuePair<string, object?>(f.Name, f.Value));
            ControlIfConfirmed(what, "Scripting outcomes", (control, token) => control.ScriptAsync(script, outcome, token));
        }
    }
}
