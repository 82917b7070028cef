using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Kernel.PowerShell.Session
{
    /// <summary>
    /// One value per runspace, so parallel runspaces (ForEach-Object -Parallel, thread jobs) never share a default.
    /// Must be used from the pipeline thread, where <see cref="Runspace.DefaultRunspace"/> is the caller's.
    /// </summary>
    internal sealed class RunspaceState<T>
        where T : class, new()
    {
        private readonly ConditionalWeakTable<Runspace, T> _values = new ConditionalWeakTable<Runspace, T>();

        public T Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace
                    ?? throw new InvalidOperationException("Kernel session state is only available on a PowerShell pipeline thread.");
                return _values.GetValue(runspace, _ => new T());
            }
        }
    }
}
