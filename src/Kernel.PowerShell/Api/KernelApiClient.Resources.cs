using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// The calls every resource shares (browsers, profiles, proxies, …): get, list, create, update and delete by
    /// id or name, resolving a reference to one object, and listing by name with wildcards. An unknown id or name
    /// is a <see cref="KernelObjectNotFoundException"/> naming it; a name two objects share, when one is meant, a
    /// <see cref="KernelAmbiguousNameException"/>.
    /// </summary>
    internal sealed partial class KernelApiClient
    {
        private static readonly HttpMethod Patch = new HttpMethod("PATCH");

        public async Task<T> GetAsync<T>(ApiResource<T> resource, string idOrName, Query query, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class =>
            WireFormat.Current.ParseResource<T>(await SendAboutAsync(resource, idOrName, HttpMethod.Get, resource.ReadPath(idOrName) + query, null, observer, cancellationToken).ConfigureAwait(false));

        public Task ListAsync<T>(ApiResource<T> resource, Query filter, long skip, long first, Func<T, bool> emit, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class =>
            ListAsync(resource.Path, filter, skip, first, (json, what) => WireFormat.Current.ParseResources<T>(json, what), emit, observer, cancellationToken);

        /// <summary>POST to the collection; never sent twice unless it cannot have arrived (see SendAsync).</summary>
        public async Task<T> CreateAsync<T>(ApiResource<T> resource, IEnumerable<KeyValuePair<string, object?>> fields, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class =>
            WireFormat.Current.ParseResource<T>(await SendAsync(HttpMethod.Post, resource.Path, fields, observer, cancellationToken).ConfigureAwait(false));

        public async Task<T> UpdateAsync<T>(ApiResource<T> resource, string idOrName, IEnumerable<KeyValuePair<string, object?>> fields, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class =>
            WireFormat.Current.ParseResource<T>(await SendAboutAsync(resource, idOrName, Patch, resource.ItemPath(idOrName), fields, observer, cancellationToken).ConfigureAwait(false));

        /// <summary>DELETE of one object; <paramref name="fields"/>, when given, go as a JSON body (a browser pool's <c>force</c>).</summary>
        public Task DeleteAsync<T>(ApiResource<T> resource, string idOrName, IEnumerable<KeyValuePair<string, object?>>? fields, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class =>
            SendAboutAsync(resource, idOrName, HttpMethod.Delete, resource.ItemPath(idOrName), fields, observer, cancellationToken);

        /// <summary>A request about one object (its path or a sub-path); a 404 becomes a <see cref="KernelObjectNotFoundException"/> naming it.</summary>
        internal Task<string> SendAboutAsync<T>(ApiResource<T> resource, string idOrName, HttpMethod method, string path, IEnumerable<KeyValuePair<string, object?>>? fields, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class => SendAboutAsync(resource.Noun, idOrName, method, path, fields, observer, cancellationToken);

        /// <summary>A request about the <paramref name="noun"/> <paramref name="idOrName"/>; a 404 becomes a <see cref="KernelObjectNotFoundException"/> naming it.</summary>
        internal async Task<string> SendAboutAsync(string noun, string idOrName, HttpMethod method, string path, IEnumerable<KeyValuePair<string, object?>>? fields, IOperationObserver observer, CancellationToken cancellationToken)
        {
            try
            {
                return await SendAsync(method, path, fields, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (KernelApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw new KernelObjectNotFoundException(noun, idOrName, byName: false, ex);
            }
        }

        /// <summary>The object a reference means: the one given, or the one its id or name names (see <see cref="ResolveAsync{T}(ApiResource{T}, string, IOperationObserver, CancellationToken)"/>).</summary>
        public async Task<T> ResolveAsync<T>(ApiResource<T> resource, KernelResourceReference reference, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class =>
            reference.Resource as T ?? await ResolveAsync(resource, reference.IdOrName!, observer, cancellationToken).ConfigureAwait(false);

        /// <summary>
        /// The one object <paramref name="idOrName"/> means: where the API takes names in the path it decides;
        /// otherwise an id first, then the objects with exactly that name: none is not found, two or more is
        /// ambiguous.
        /// </summary>
        public async Task<T> ResolveAsync<T>(ApiResource<T> resource, string idOrName, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class
        {
            if (resource.NamesInPath)
            {
                return await GetAsync(resource, idOrName, new Query(), observer, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return await GetAsync(resource, idOrName, new Query(), observer, cancellationToken).ConfigureAwait(false);
            }
            catch (KernelObjectNotFoundException)
            {
                // Not an id; perhaps a name.
            }

            var named = new List<T>();
            await ListNamedAsync(resource, new[] { idOrName }, new Query(), item => { named.Add(item); return true; }, observer, cancellationToken).ConfigureAwait(false);
            return Single(resource, idOrName, named);
        }

        /// <summary>The one object of <paramref name="named"/>; none is not found, two or more ambiguous.</summary>
        internal static T Single<T>(ApiResource<T> resource, string name, IReadOnlyList<T> named)
            where T : class => named.Count switch
            {
                0 => throw resource.NameNotFound(name),
                1 => named[0],
                _ => throw new KernelAmbiguousNameException(resource.Plural, name, named.Select(resource.IdOf).ToList()),
            };

        /// <summary>
        /// Hands <paramref name="emit"/> every object whose name matches one of <paramref name="patterns"/>
        /// (wildcards allowed, case-insensitive as PowerShell compares names), each once, in the API's order, over
        /// all pages, until it returns false. Literal names are looked up with the API's name filter; wildcards need
        /// the whole list. Returns the literal names that matched nothing (a wildcard that matches nothing is no
        /// error, as in PowerShell).
        /// </summary>
        public async Task<IReadOnlyList<string>> ListNamedAsync<T>(ApiResource<T> resource, IReadOnlyList<string> patterns, Query filter, Func<T, bool> emit, IOperationObserver observer, CancellationToken cancellationToken)
            where T : class
        {
            var matchers = patterns.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
            var matched = new bool[patterns.Count];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var going = true;
            bool Offer(T item)
            {
                var name = resource.NameOf(item);
                var hit = false;
                for (var i = 0; i < matchers.Count; i++)
                {
                    if (name != null && matchers[i].IsMatch(name))
                    {
                        matched[i] = hit = true;
                    }
                }

                going = !hit || !seen.Add(resource.IdOf(item)) || emit(item);
                return going;
            }

            if (patterns.Any(WildcardPattern.ContainsWildcardCharacters))
            {
                await ListAsync(resource, filter, 0, long.MaxValue, Offer, observer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (var name in patterns.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    await ListAsync(resource, filter.With(resource.NameQuery, name), 0, long.MaxValue, Offer, observer, cancellationToken).ConfigureAwait(false);
                    if (!going)
                    {
                        break;
                    }
                }
            }

            return going
                ? patterns.Where((p, i) => !matched[i] && !WildcardPattern.ContainsWildcardCharacters(p)).ToList()
                : Array.Empty<string>();
        }
    }
}
