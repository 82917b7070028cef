using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Tab completion of browsers, profiles, proxies, extensions and browser pools (and a browser's replays), from the session's short-lived
    /// cache like the apps'. Which resource: a parameter named after one (-Browser, -Profile, -Proxy, -Extension, -Pool) means it,
    /// otherwise the command's noun does (Get-KernelProfile -Name). -Id completes ids, -ReplayId the replays of
    /// the -Browser given, every other parameter names (an id where an object has no name). The tooltip of an id
    /// names the object, the tooltip of a name gives its id, and both say what state it is in.
    /// </summary>
    public sealed class KernelResourceCompleter : KernelCompleter
    {
        private static readonly IResourceCompletion Pools =
            new ResourceCompletion<KernelBrowserPool>(BrowserPoolApi.Resource, p => $"{p.AvailableCount} free, {p.AcquiredCount} taken of {p.Size}");

        private static readonly Dictionary<string, IResourceCompletion> Resources = new Dictionary<string, IResourceCompletion>(StringComparer.OrdinalIgnoreCase)
        {
            ["Browser"] = new ResourceCompletion<KernelBrowser>(BrowserApi.Resource, b => $"{b.Status}, created {KernelView.Time(b.CreatedAt)}"),
            ["Profile"] = new ResourceCompletion<KernelProfile>(ProfileApi.Resource, p => p.UpdatedAt is { } saved ? "saved " + KernelView.Time(saved) : "never saved"),
            ["Proxy"] = new ResourceCompletion<KernelProxy>(ProxyApi.Resource, p => $"{p.Type}, {p.Location}{(p.Status == null ? string.Empty : ", " + p.Status)}"),
            ["Extension"] = new ResourceCompletion<KernelExtension>(ExtensionApi.Resource, e => $"{Bytes.Format(e.SizeBytes)}, uploaded {KernelView.Time(e.CreatedAt)}"),
            ["Pool"] = Pools,
            ["BrowserPool"] = Pools,
        };

        internal override (string Key, Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>> Fetch) Source(string commandName, string parameterName, KernelApiClient client, IDictionary fakeBoundParameters)
        {
            if (string.Equals(parameterName, "ReplayId", StringComparison.OrdinalIgnoreCase) && Bound(fakeBoundParameters, "Browser") is { } browser)
            {
                return ("replays:" + browser, async token => (await client.ListReplaysAsync(browser, NullObserver.Instance, token).ConfigureAwait(false))
                    .Select(r => new CompletionItem(r.ReplayId, $"{r.Status}, started {KernelView.Time(r.StartedAt)}"))
                    .ToList());
            }

            var noun = commandName.Substring(commandName.IndexOf('-') + 1);
            var resource = Resources.TryGetValue(parameterName, out var named) ? named
                : noun.StartsWith("Kernel", StringComparison.Ordinal) && Resources.TryGetValue(noun.Substring("Kernel".Length), out var own) ? own
                : null;
            if (resource == null)
            {
                return ("none", _ => Task.FromResult<IReadOnlyList<CompletionItem>>(Array.Empty<CompletionItem>()));
            }

            var ids = string.Equals(parameterName, "Id", StringComparison.OrdinalIgnoreCase);
            return (resource.Key + (ids ? ":ids" : ":names"), token => resource.FetchAsync(client, ids, token));
        }

        private interface IResourceCompletion
        {
            string Key { get; }

            Task<IReadOnlyList<CompletionItem>> FetchAsync(KernelApiClient client, bool ids, CancellationToken cancellationToken);
        }

        /// <summary>
        /// The first page of a resource, as ids or as names, each with a line about the object: an id's names it
        /// ("(no name)" when it has none), a name's gives its id, then what <c>describe</c> says.
        /// </summary>
        private sealed class ResourceCompletion<T> : IResourceCompletion
            where T : class
        {
            private readonly ApiResource<T> _resource;
            private readonly Func<T, string> _describe;

            public ResourceCompletion(ApiResource<T> resource, Func<T, string> describe)
            {
                _resource = resource;
                _describe = describe;
            }

            public string Key => _resource.Path;

            public async Task<IReadOnlyList<CompletionItem>> FetchAsync(KernelApiClient client, bool ids, CancellationToken cancellationToken) =>
                (await Collect<T>(
                        emit => client.ListAsync(_resource, new Query(), 0, KernelApiClient.MaxPageSize, emit, NullObserver.Instance, cancellationToken),
                        item => new CompletionItem(
                            ids ? _resource.IdOf(item) : _resource.NameOf(item) ?? _resource.IdOf(item),
                            $"{(ids || _resource.NameOf(item) == null ? _resource.NameOf(item) ?? "(no name)" : _resource.IdOf(item))}, {_describe(item)}")).ConfigureAwait(false))
                    .GroupBy(item => item.Text, StringComparer.Ordinal)
                    .Select(group => group.First())
                    .ToList();
        }
    }
}
