using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>The emulator's browsers and replays, where they go beyond what the SDK referee checks: refusals, soft deletes, filters.</summary>
public sealed class BrowserEndpointTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorClient _client = new(emulator);

    public void Dispose() => _client.Dispose();

    private async Task<JsonElement> CreateAsync(object body)
    {
        using var response = await _client.PostJsonAsync("browsers", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await EmulatorClient.JsonAsync(response);
    }

    [Fact]
    public async Task A_browser_carries_a_token_in_its_urls_and_only_a_headful_one_has_a_live_view()
    {
        var headful = await CreateAsync(new { });
        var headless = await CreateAsync(new { headless = true });

        Assert.Matches(@"^ws://[^/]+/browser/cdp\?jwt=[\w-]+\.[\w-]+\.[\w-]+$", headful.GetProperty("cdp_ws_url").GetString());
        Assert.StartsWith("http://", headful.GetProperty("browser_live_view_url").GetString());
        Assert.False(headless.TryGetProperty("browser_live_view_url", out _));
        Assert.NotEqual(headful.GetProperty("cdp_ws_url").GetString(), headless.GetProperty("cdp_ws_url").GetString());
    }

    [Theory]
    [InlineData("""{"timeout_seconds":5}""", "timeout_seconds")]
    [InlineData("""{"headless":true,"gpu":true}""", "gpu")]
    [InlineData("""{"profile":{"name":"nobody"}}""", "profile 'nobody' not found")]
    [InlineData("""{"profile":{"id":"a","name":"b"}}""", "exactly one of id and name")]
    [InlineData("""{"proxy_id":"nowhere"}""", "proxy 'nowhere' not found")]
    [InlineData("""{"viewport":{"width":100,"height":800}}""", "viewport.width")]
    [InlineData("""{"start_url":"ftp://example.com"}""", "start_url")]
    [InlineData("""{"tags":{"a":1}}""", "tags.a")]
    [InlineData("""{"extensions":[{"name":"adblock"}]}""", "extension 'adblock' not found")]
    public async Task Impossible_browsers_are_refused_with_400(string body, string says)
    {
        using var response = await _client.Http.PostAsync("browsers", new StringContent(body, Encoding.UTF8, "application/json"));

        await EmulatorClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "bad_request");
        Assert.Contains(says, (await EmulatorClient.JsonAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Names_are_unique_among_active_browsers_only()
    {
        var first = await CreateAsync(new { name = "job-a" });
        using var clash = await _client.PostJsonAsync("browsers", new { name = "JOB-A" });
        await EmulatorClient.AssertErrorAsync(clash, HttpStatusCode.Conflict, "conflict");

        using (await _client.Http.DeleteAsync($"browsers/{first.GetProperty("session_id").GetString()}"))
        {
        }

        var second = await CreateAsync(new { name = "job-a" });
        Assert.Equal(second.GetProperty("session_id").GetString(), (await _client.GetJsonAsync("browsers/job-a")).GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task Deleting_is_soft_and_a_second_delete_is_404()
    {
        var id = (await CreateAsync(new { name = "short-lived" })).GetProperty("session_id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await _client.Http.DeleteAsync($"browsers/short-lived")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync($"browsers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.DeleteAsync($"browsers/{id}")).StatusCode);
        var ended = await _client.GetJsonAsync($"browsers/{id}?include_deleted=true");
        Assert.True(ended.TryGetProperty("deleted_at", out _));
        Assert.Contains(id, (await _client.GetJsonAsync("browsers?status=deleted")).EnumerateArray().Select(b => b.GetProperty("session_id").GetString()));
        Assert.DoesNotContain(id, (await _client.GetJsonAsync("browsers")).EnumerateArray().Select(b => b.GetProperty("session_id").GetString()));
        Assert.Contains(id, (await _client.GetJsonAsync("browsers?include_deleted=true")).EnumerateArray().Select(b => b.GetProperty("session_id").GetString()));
    }

    [Fact]
    public async Task Lists_filter_by_every_tag_given_and_by_query()
    {
        var both = await CreateAsync(new { name = "a1", tags = new { job = "nightly", team = "growth" } });
        await CreateAsync(new { name = "b1", tags = new { job = "nightly" } });

        var tagged = await _client.GetJsonAsync("browsers?tags%5Bjob%5D=nightly&tags%5Bteam%5D=growth");
        var searched = await _client.GetJsonAsync("browsers?query=A1");

        Assert.Equal([both.GetProperty("session_id").GetString()], tagged.EnumerateArray().Select(b => b.GetProperty("session_id").GetString()));
        Assert.Equal(["a1"], searched.EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync("browsers?status=sleeping"), HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task A_profile_is_written_only_when_a_browser_that_asked_to_save_ends()
    {
        using (await _client.PostJsonAsync("profiles", new { name = "login" }))
        {
        }

        var reader = await CreateAsync(new { profile = new { name = "login" } });
        var saver = await CreateAsync(new { profile = new { name = "login", save_changes = true } });
        using (await _client.Http.DeleteAsync($"browsers/{reader.GetProperty("session_id").GetString()}"))
        {
        }

        Assert.False((await _client.GetJsonAsync("profiles/login")).TryGetProperty("updated_at", out _));
        Assert.Equal(HttpStatusCode.Accepted, (await _client.Http.GetAsync("profiles/login/download")).StatusCode);

        using (await _client.Http.DeleteAsync($"browsers/{saver.GetProperty("session_id").GetString()}"))
        {
        }

        Assert.True((await _client.GetJsonAsync("profiles/login")).TryGetProperty("updated_at", out _));
        Assert.Equal(HttpStatusCode.OK, (await _client.Http.GetAsync("profiles/login/download")).StatusCode);
    }

    [Fact]
    public async Task Patching_replaces_tags_clears_the_proxy_and_refuses_a_second_profile()
    {
        using (await _client.PostJsonAsync("profiles", new { name = "p1" }))
        {
        }

        var id = (await CreateAsync(new { tags = new { a = "1" }, profile = new { name = "p1" } })).GetProperty("session_id").GetString();

        using var patched = await _client.PatchJsonAsync($"browsers/{id}", new { tags = new { b = "2" }, proxy_id = "" });
        var browser = await EmulatorClient.JsonAsync(patched);
        Assert.Equal(["b"], browser.GetProperty("tags").EnumerateObject().Select(t => t.Name));
        Assert.False(browser.TryGetProperty("proxy_id", out _));
        await EmulatorClient.AssertErrorAsync(await _client.PatchJsonAsync($"browsers/{id}", new { profile = new { name = "p1" } }), HttpStatusCode.BadRequest, "bad_request");
        await EmulatorClient.AssertErrorAsync(await _client.PatchJsonAsync("browsers/nobody", new { tags = new { } }), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task One_recording_at_a_time_and_downloads_wait_for_it_to_finish()
    {
        var id = (await CreateAsync(new { })).GetProperty("session_id").GetString();
        using var started = await _client.Http.PostAsync($"browsers/{id}/replays", null);
        var replay = (await EmulatorClient.JsonAsync(started)).GetProperty("replay_id").GetString();

        await EmulatorClient.AssertErrorAsync(await _client.Http.PostAsync($"browsers/{id}/replays", null), HttpStatusCode.Conflict, "conflict");
        await EmulatorClient.AssertErrorAsync(await _client.PostJsonAsync($"browsers/{id}/replays/x/stop", new { }), HttpStatusCode.NotFound, "not_found");
        using var early = await _client.Http.GetAsync($"browsers/{id}/replays/{replay}");
        Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), early.Headers.RetryAfter?.Delta);

        Assert.Equal(HttpStatusCode.OK, (await _client.Http.PostAsync($"browsers/{id}/replays/{replay}/stop", null)).StatusCode);
        var video = await _client.Http.GetByteArrayAsync($"browsers/{id}/replays/{replay}");

        Assert.Equal(["ftyp", "moov", "free", "mdat", "free"], TopLevelBoxes(video)); // the last free box pads longer recordings
    }

    [Fact]
    public async Task A_framerate_above_20_needs_a_gpu_browser()
    {
        var id = (await CreateAsync(new { })).GetProperty("session_id").GetString();

        await EmulatorClient.AssertErrorAsync(await _client.PostJsonAsync($"browsers/{id}/replays", new { framerate = 30 }), HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task An_invocations_browsers_are_real_sessions_that_end_with_it()
    {
        var deployment = await _client.DeployShopAsync();
        await _client.WaitForStatusAsync($"deployments/{deployment.GetProperty("id").GetString()}", "running");
        using var invoked = await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "buy" });
        var invocation = (await EmulatorClient.JsonAsync(invoked)).GetProperty("id").GetString();
        var attached = await CreateAsync(new { headless = true, invocation_id = invocation });

        var listed = (await _client.GetJsonAsync($"invocations/{invocation}/browsers")).GetProperty("browsers");
        Assert.Equal([attached.GetProperty("session_id").GetString()], listed.EnumerateArray().Select(b => b.GetProperty("session_id").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await _client.Http.DeleteAsync($"invocations/{invocation}/browsers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync($"browsers/{attached.GetProperty("session_id").GetString()}")).StatusCode);
        var ended = (await _client.GetJsonAsync("browsers?status=deleted")).EnumerateArray().ToList();
        Assert.Equal(2, ended.Count); // the one the action ran in, and the one attached to it
        Assert.All(ended, b => Assert.True(b.GetProperty("headless").GetBoolean()));
    }

    /// <summary>The types of an ISO BMFF file's top-level boxes, checking every size adds up to the file.</summary>
    private static List<string> TopLevelBoxes(byte[] file)
    {
        var boxes = new List<string>();
        for (var offset = 0; offset < file.Length;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset));
            Assert.True(size >= 8 && offset + size <= file.Length, $"box at {offset} claims {size} bytes of {file.Length}");
            boxes.Add(Encoding.ASCII.GetString(file, offset + 4, 4));
            offset += size;
        }

        return boxes;
    }
}
