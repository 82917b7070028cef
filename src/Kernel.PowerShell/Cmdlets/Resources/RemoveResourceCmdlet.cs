using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of Remove-Kernel&lt;Resource&gt;: asks first (the subclass says ConfirmImpact High), -Force does not ask,
    /// -WhatIf sends nothing. An id the API no longer knows is a warning, not an error (it is gone, as asked), so a
    /// cleanup can run twice; a name that matches nothing is an ObjectNotFound error.
    /// </summary>
    public abstract class RemoveResourceCmdlet<T> : TargetResourceCmdlet<T>
        where T : class
    {
        /// <summary>Remove without asking.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The ShouldProcess action, such as "End the session".</summary>
        internal abstract string RemoveAction { get; }

        /// <summary>The DELETE's JSON body, where the API takes one; null for none.</summary>
        internal virtual IEnumerable<KeyValuePair<string, object?>>? DeleteFields => null;

        protected override void ProcessRecord()
        {
            var session = ResolveSession();
            foreach (var target in Targets())
            {
                var what = Describe(target);
                if (!ShouldChange($"{what} on {session.BaseUri}", RemoveAction, Force))
                {
                    continue;
                }

                try
                {
                    Run($"Removing {what}", async (observer, token) =>
                    {
                        await session.Client.DeleteAsync(Resource, target.IdOrName, DeleteFields, observer, token).ConfigureAwait(false);
                        return true;
                    });
                    session.Completions.Clear();
                    WriteVerbose($"Removed {what}.");
                }
                catch (KernelObjectNotFoundException)
                {
                    // Gone already: what the caller wanted. Said, not failed, so cleanup scripts stay idempotent.
                    WriteWarning($"{KernelObjectNotFoundException.Capitalized(what)} was not found on {session.BaseUri} (already removed?).");
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, target.IdOrName);
                }
            }
        }
    }
}
