using System.Collections.Generic;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that act on existing objects of one resource (Remove, Save, Set, Rename, Test): the
    /// objects come by -Id (piped objects bind by their Id) or by -Name (wildcards where the command can act on
    /// many; a literal name must be one object's).
    /// </summary>
    public abstract class TargetResourceCmdlet<T> : KernelResourceCmdlet<T>
        where T : class
    {
        internal const string IdSet = "Id";
        internal const string NameSet = "Name";

        /// <summary>Ids of the objects (or, where the API takes them, names); binds from the Id of piped objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>Names of the objects; wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(KernelResourceCompleter))]
        public string[] Name { get; set; } = null!;

        /// <summary>True for a command that acts on one object at a time: a wildcard must then match only one.</summary>
        internal virtual bool OneAtATime => false;

        /// <summary>The objects this record's -Id or -Name name (failures already written as errors).</summary>
        internal IReadOnlyList<ResourceTarget<T>> Targets() =>
            ParameterSetName == IdSet ? Targets(Id, null) : Targets(null, Name, OneAtATime);
    }
}
