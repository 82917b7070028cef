using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that change existing objects (Set-, Rename-): for each object -Id or -Name gives,
    /// ShouldProcess, one PATCH with the subclass's fields, and the changed object with -PassThru.
    /// </summary>
    public abstract class ChangeResourceCmdlet<T> : TargetResourceCmdlet<T>
        where T : class
    {
        /// <summary>Write each changed object to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>What ShouldProcess says is done: "Rename to 'x'".</summary>
        internal abstract string Change { get; }

        /// <summary>The PATCH body's fields (objects named by name or id are looked up here).</summary>
        internal abstract Task<IEnumerable<KeyValuePair<string, object?>>> FieldsAsync(KernelApiClient client, IOperationObserver observer, CancellationToken cancellationToken);

        /// <summary>A switch's value when it was given (-Headless or -Headless:$false), null when not: only what is given changes.</summary>
        internal bool? Given(string parameter, SwitchParameter value) =>
            MyInvocation.BoundParameters.ContainsKey(parameter) ? value.IsPresent : (bool?)null;

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            foreach (var target in Targets())
            {
                var what = Describe(target);
                if (!ShouldProcess($"{what} on {session.BaseUri}", Change))
                {
                    continue;
                }

                try
                {
                    var changed = Run("Changing " + what, async (observer, token) => await session.Client.UpdateAsync(
                        Resource, target.IdOrName, await FieldsAsync(session.Client, observer, token).ConfigureAwait(false), observer, token).ConfigureAwait(false));
                    session.Completions.Clear();
                    if (PassThru)
                    {
                        WriteObject(changed);
                    }
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, target.IdOrName);
                }
            }
        }
    }

    /// <summary>Base of the cmdlets whose only change is a new name (profiles, proxies).</summary>
    public abstract class RenameResourceCmdlet<T> : ChangeResourceCmdlet<T>
        where T : class
    {
        /// <summary>The new name.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string NewName { get; set; } = null!;

        internal override string Change => $"Rename to '{NewName}'";

        internal override Task<IEnumerable<KeyValuePair<string, object?>>> FieldsAsync(KernelApiClient client, IOperationObserver observer, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<KeyValuePair<string, object?>>>(new[] { BrowserSettings.Field("name", NewName) });
    }
}
