using System;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Moves every command shares: -First/-Skip over what it writes, and confirmation that -Force can skip.</summary>
    public abstract partial class KernelSessionCmdlet
    {
        private PagingWindow? _window;

        /// <summary>
        /// -First and -Skip (SupportsPaging) over everything the command writes, in every parameter set and across
        /// pipeline input: with -Id they pick from the ids given, in order; with a list, from the matches.
        /// </summary>
        internal PagingWindow Window => _window ??= new PagingWindow(PagingParameters);

        /// <summary>
        /// ShouldProcess, except that -Force skips the question: -WhatIf (given or inherited) still only reports,
        /// and an explicit -Confirm still asks.
        /// </summary>
        internal bool ShouldChange(string target, string action, bool force)
        {
            if (force && !MyInvocation.BoundParameters.ContainsKey("Confirm") && !WhatIfInEffect)
            {
                return true;
            }

            return ShouldProcess(target, action);
        }

        private bool WhatIfInEffect => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
            ? LanguagePrimitives.IsTrue(whatIf)
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
    }

    /// <summary>What is left of a -Skip/-First window; counts are kept across ProcessRecord calls.</summary>
    internal sealed class PagingWindow
    {
        private long _skip;
        private long _left;

        public PagingWindow(PagingParameters? paging)
        {
            _skip = paging == null ? 0 : (long)Math.Min(paging.Skip, long.MaxValue);
            _left = paging == null ? long.MaxValue : (long)Math.Min(paging.First, long.MaxValue);
        }

        /// <summary>True once -First items went out: nothing more is wanted.</summary>
        public bool Full => _left <= 0;

        /// <summary>Whether the next item goes out (false while skipping, and once full).</summary>
        public bool Take()
        {
            if (_left <= 0)
            {
                return false;
            }

            if (_skip > 0)
            {
                _skip--;
                return false;
            }

            _left--;
            return true;
        }

        /// <summary>Hands the whole window to a server-side listing (offset and limit), which then owns it.</summary>
        public (long Skip, long First) HandOver()
        {
            var window = (_skip, _left);
            _skip = 0;
            _left = 0;
            return window;
        }
    }
}
