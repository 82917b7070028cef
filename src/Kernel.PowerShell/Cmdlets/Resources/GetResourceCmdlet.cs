using System;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of Get-Kernel&lt;Resource&gt;: objects by -Id, or the list (all pages) narrowed by -Name (wildcards) and
    /// -Query; a subclass adds its own filters. -First/-Skip work in every parameter set.
    /// </summary>
    public abstract class GetResourceCmdlet<T> : KernelResourceCmdlet<T>
        where T : class
    {
        internal const string IdSet = "Id";
        internal const string ListSet = "List";

        /// <summary>Ids (or, where the API takes them, names) of the objects; binds from the Id of piped objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>Only objects with these names; wildcards allowed.</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only objects whose name or id contains this text (the API's search).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        /// <summary>The list's server-side filters besides -Query (a subclass adds its own).</summary>
        internal virtual Query ListFilter() => new Query().With("query", Query);

        /// <summary>A filter the API does not offer, applied here; null for none.</summary>
        internal virtual Func<T, bool>? Keep() => null;

        /// <summary>The query sent with each get by id.</summary>
        internal virtual Query GetQuery() => new Query();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet)
            {
                WriteById(Id, GetQuery());
            }
            else
            {
                WriteList(ListFilter(), Name, Keep());
            }
        }
    }
}
