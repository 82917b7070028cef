using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>Proxies: addressed by id only; names may repeat, and are filtered exactly with <c>name</c>.</summary>
    internal static class ProxyApi
    {
        public static readonly ApiResource<KernelProxy> Resource =
            new ApiResource<KernelProxy>("proxies", "proxy", "proxies", p => p.Id, p => p.Name, namesInPath: false, nameQuery: "name");

        public static readonly string[] Types = { "datacenter", "isp", "residential", "mobile", "custom" };
    }

    internal sealed partial class KernelApiClient
    {
        /// <summary>The API's health check; with <paramref name="url"/> it tests reaching that site (and leaves the stored status alone).</summary>
        public async Task<KernelProxy> CheckProxyAsync(string id, string? url, IOperationObserver observer, CancellationToken cancellationToken) =>
            WireFormat.Current.ParseResource<KernelProxy>(await SendAboutAsync(
                ProxyApi.Resource,
                id,
                HttpMethod.Post,
                ProxyApi.Resource.ItemPath(id) + "/check",
                new[] { new KeyValuePair<string, object?>("url", url) },
                observer,
                cancellationToken).ConfigureAwait(false));
    }
}
