using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets of one resource (browsers, profiles, proxies, …): which resource it is, and the moves
    /// they share: writing objects by id, listing all pages by name (wildcards) and filters, and finding the objects
    /// a command acts on. A new resource's cmdlets say only what is theirs.
    /// </summary>
    public abstract class KernelResourceCmdlet<T> : KernelSessionCmdlet
        where T : class
    {
        internal abstract ApiResource<T> Resource { get; }

        /// <summary>"browser b1 (nightly)": for ShouldProcess and messages.</summary>
        internal string Describe(ResourceTarget<T> target)
        {
            var name = target.Item == null ? null : Resource.NameOf(target.Item);
            var id = target.Item == null ? target.IdOrName : Resource.IdOf(target.Item);
            return $"{Resource.Noun} {id}{(string.IsNullOrEmpty(name) || name == id ? string.Empty : $" ({name})")}";
        }

        /// <summary>Writes the object each id names (see <see cref="KernelSessionCmdlet.WriteById{T}"/>).</summary>
        internal void WriteById(IEnumerable<string> ids, Query query) => WriteById(Resource, ids, query);

        /// <summary>Writes the listing (see <see cref="KernelSessionCmdlet.WriteList{T}"/>).</summary>
        internal void WriteList(Query filter, IReadOnlyList<string>? names, Func<T, bool>? keep = null) => WriteList(Resource, filter, names, keep);

        /// <summary>
        /// The objects a command acts on: each id as given (the API decides whether it exists; nothing is asked
        /// first), or the objects the names match. A literal name must match exactly one object (none is
        /// ObjectNotFound, two or more is AmbiguousName); a wildcard may match many, unless <paramref name="one"/>.
        /// Failures are written as errors and leave the rest to go on.
        /// </summary>
        internal IReadOnlyList<ResourceTarget<T>> Targets(IReadOnlyList<string>? ids, IReadOnlyList<string>? names, bool one = false)
        {
            if (ids != null)
            {
                return ids.Select(id => new ResourceTarget<T>(id, null)).ToList();
            }

            var client = ResolveClient();
            var targets = new List<ResourceTarget<T>>();
            foreach (var name in names ?? Array.Empty<string>())
            {
                try
                {
                    var matches = Run($"Finding {Resource.Plural} named {name}", async (observer, token) =>
                    {
                        var found = new List<T>();
                        await client.ListNamedAsync(Resource, new[] { name }, new Query(), item => { found.Add(item); return true; }, observer, token).ConfigureAwait(false);
                        return found;
                    });
                    var picked = WildcardPattern.ContainsWildcardCharacters(name) && !one ? matches : new[] { KernelApiClient.Single(Resource, name, matches) }.ToList();
                    targets.AddRange(picked.Where(item => targets.All(t => Resource.IdOf(t.Item!) != Resource.IdOf(item))).Select(item => new ResourceTarget<T>(Resource.IdOf(item), item)));
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, name);
                }
            }

            return targets;
        }
    }

    /// <summary>An object a command acts on: its id (or, for a given -Id, the text as given) and the object when it was looked up.</summary>
    internal sealed class ResourceTarget<T>
        where T : class
    {
        public ResourceTarget(string idOrName, T? item)
        {
            IdOrName = idOrName;
            Item = item;
        }

        public string IdOrName { get; }

        public T? Item { get; }
    }
}
