using System.Net;
using System.Security;
using System.Text;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>
/// The offset-paging contract (kernel-api.md §4): the next page starts where X-Next-Offset says, and 0 or
/// X-Has-More false ends the walk. (Older official SDKs added the page length on top and skipped every other page.)
/// </summary>
public class PagingTests
{
    private sealed class ScriptedPages(Func<int, (string Body, string? HasMore, string? NextOffset)> page) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.PathAndQuery);
            var offset = int.Parse(System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query)["offset"]!);
            var (body, hasMore, next) = page(offset);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (hasMore != null)
            {
                response.Headers.Add("X-Has-More", hasMore);
            }

            if (next != null)
            {
                response.Headers.Add("X-Next-Offset", next);
            }

            return Task.FromResult(response);
        }
    }

    private static string Deployments(params string[] ids) =>
        "[" + string.Join(",", ids.Select(id => $$"""{"id":"{{id}}","status":"running","region":"aws.us-east-1a","created_at":"2026-11-28T10:00:00Z"}""")) + "]";

    private static async Task<(List<string> Ids, List<string> Requests)> ListAll(ScriptedPages pages, long skip = 0, long first = long.MaxValue)
    {
        using var client = new KernelApiClient(new Uri("http://kernel.test/"), new SecureString(), null, pages);
        var ids = new List<string>();
        await client.ListAsync(DeploymentApi.Resource, new Query(), skip, first, d => { ids.Add(d.Id); return true; }, NullObserver.Instance, CancellationToken.None);
        return (ids, pages.Requests);
    }

    [Fact]
    public async Task The_next_page_starts_at_X_Next_Offset_and_zero_ends_the_walk()
    {
        var pages = new ScriptedPages(offset => offset switch
        {
            0 => (Deployments("a", "b"), "true", "2"),
            2 => (Deployments("c", "d"), "true", "4"),
            4 => (Deployments("e"), "false", "0"),
            _ => throw new InvalidOperationException("unexpected offset " + offset),
        });

        var (ids, requests) = await ListAll(pages);

        Assert.Equal(["a", "b", "c", "d", "e"], ids);
        Assert.Equal(3, requests.Count);
    }

    [Fact]
    public async Task Skip_sets_the_first_offset_and_first_stops_early_without_another_request()
    {
        var pages = new ScriptedPages(offset => (Deployments($"x{offset}", $"x{offset + 1}", $"x{offset + 2}"), "true", (offset + 3).ToString()));

        var (ids, requests) = await ListAll(pages, skip: 7, first: 4);

        Assert.Equal(["x7", "x8", "x9", "x10"], ids);
        Assert.StartsWith("/deployments?limit=4&offset=7", requests[0]);
        Assert.Equal(2, requests.Count);
    }

    [Fact]
    public async Task A_missing_has_more_header_ends_the_walk() =>
        Assert.Equal(["a"], (await ListAll(new ScriptedPages(_ => (Deployments("a"), null, null)))).Ids);

    [Fact]
    public async Task Has_more_without_a_next_offset_is_a_protocol_error() =>
        await Assert.ThrowsAsync<KernelProtocolException>(() => ListAll(new ScriptedPages(_ => (Deployments("a"), "true", null))));

    [Fact]
    public async Task A_page_that_is_not_an_array_is_a_protocol_error() =>
        await Assert.ThrowsAsync<KernelProtocolException>(() => ListAll(new ScriptedPages(_ => ("""{"items":[]}""", "false", "0"))));
}
