using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>The emulator's extensions and browser pools over plain HTTP, where they go beyond the SDK referee.</summary>
public sealed class ExtensionAndPoolEndpointTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly byte[] Extension = EmulatorClient.Zip(("manifest.json", """{"manifest_version":3,"name":"t","version":"1"}"""), ("content.js", "// hi"));

    private readonly EmulatorClient _client = new(emulator);
    private readonly HttpClient _admin = new() { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };

    public void Dispose()
    {
        _admin.DeleteAsync("faults").GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _client.Dispose();
    }

    private async Task<JsonElement> UploadAsync(byte[] zip, string? name = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", "extension.zip" } };
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        using var response = await _client.Http.PostAsync("extensions", form);
        Assert.Equal(expected, response.StatusCode);
        return await EmulatorClient.JsonAsync(response);
    }

    private async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await _client.PostJsonAsync(path, body);
        Assert.Equal(expected, response.StatusCode);
        return response.StatusCode == HttpStatusCode.NoContent ? default : await EmulatorClient.JsonAsync(response);
    }

    /// <summary>A new pool, once it is full.</summary>
    private async Task<JsonElement> FullPoolAsync(object body) =>
        await FullAsync((await PostAsync("browser_pools", body, HttpStatusCode.Created)).GetProperty("id").GetString()!);

    /// <summary>The pool once it holds as many idle browsers as its size (a real signal: what the API reports).</summary>
    private async Task<JsonElement> FullAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var current = await _client.GetJsonAsync($"browser_pools/{id}");
            if (current.GetProperty("available_count").GetInt32() == current.GetProperty("browser_pool_config").GetProperty("size").GetInt32())
            {
                return current;
            }

            Assert.True(DateTime.UtcNow < deadline, $"pool {id} never filled: {current}");
            await Task.Delay(20);
        }
    }

    private async Task<(int Available, int Acquired)> CountsAsync(string pool)
    {
        var current = await _client.GetJsonAsync($"browser_pools/{pool}");
        return (current.GetProperty("available_count").GetInt32(), current.GetProperty("acquired_count").GetInt32());
    }

    [Fact]
    public async Task An_uploaded_extension_downloads_as_the_same_bytes_and_its_metadata_names_them()
    {
        var extension = await UploadAsync(Extension, "Ad-Block");
        var id = extension.GetProperty("id").GetString();

        var downloaded = await _client.Http.GetByteArrayAsync("extensions/ad-block");
        var metadata = await _client.GetJsonAsync($"extensions/{id}/metadata");
        var listed = (await _client.GetJsonAsync("extensions?name=AD-BLOCK")).EnumerateArray().Select(e => e.GetProperty("id").GetString());

        Assert.Equal(Extension, downloaded);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Extension)), metadata.GetProperty("checksum").GetString());
        Assert.Equal(Extension.Length, metadata.GetProperty("size_bytes").GetInt64());
        Assert.Equal([id], listed);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.Http.DeleteAsync("extensions/Ad-Block")).StatusCode);
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync($"extensions/{id}/metadata"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task An_upload_without_a_manifest_at_the_top_or_with_a_taken_name_is_refused()
    {
        await UploadAsync(Extension, "taken");

        var nested = await UploadAsync(EmulatorClient.Zip(("ext/manifest.json", "{}")), expected: HttpStatusCode.BadRequest);
        await UploadAsync(Extension, "TAKEN", HttpStatusCode.Conflict);
        await UploadAsync("not a zip"u8.ToArray(), expected: HttpStatusCode.BadRequest);

        Assert.Contains("manifest.json", nested.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_browser_loads_the_extensions_it_names_and_an_unknown_one_creates_nothing()
    {
        var first = (await UploadAsync(Extension, "first")).GetProperty("id").GetString();
        var second = (await UploadAsync(Extension)).GetProperty("id").GetString();

        var browser = await PostAsync("browsers", new { extensions = new object[] { new { name = "first" }, new { id = second } } }, HttpStatusCode.OK);
        var loaded = JsonDocument.Parse(await _admin.GetStringAsync($"browsers/{browser.GetProperty("session_id").GetString()}/extensions")).RootElement;
        var unknown = await PostAsync("browsers", new { extensions = new object[] { new { name = "nosuch" } } }, HttpStatusCode.BadRequest);

        Assert.Equal([(first, "first"), (second, null)], loaded.EnumerateArray().Select(e => (e.GetProperty("id").GetString(), e.TryGetProperty("name", out var n) ? n.GetString() : null)));
        Assert.NotEqual(JsonValueKind.Undefined, (await _client.GetJsonAsync($"extensions/{first}/metadata")).GetProperty("last_used_at").ValueKind);
        Assert.Contains("nosuch", unknown.GetProperty("message").GetString());
        Assert.Single((await _client.GetJsonAsync("browsers")).EnumerateArray());
    }

    [Theory]
    [InlineData("https://chromewebstore.google.com/detail/ublock-origin/cjpalhdlnbpafiamejdnhcphjbkeiagm", HttpStatusCode.OK)]
    [InlineData("https://chrome.google.com/webstore/detail/cjpalhdlnbpafiamejdnhcphjbkeiagm", HttpStatusCode.OK)]
    [InlineData("https://example.com/detail/cjpalhdlnbpafiamejdnhcphjbkeiagm", HttpStatusCode.BadRequest)]
    [InlineData("https://chromewebstore.google.com/detail/no-id-here", HttpStatusCode.BadRequest)]
    public async Task The_Chrome_Web_Store_download_answers_an_unpacked_extension_for_a_store_page(string url, HttpStatusCode expected)
    {
        using var response = await _client.Http.GetAsync("extensions/from_chrome_store?url=" + Uri.EscapeDataString(url));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
            Assert.Contains("cjpalhdlnbpafiamejdnhcphjbkeiagm", new StreamReader(zip.GetEntry("manifest.json")!.Open()).ReadToEnd());
        }
    }

    [Fact]
    public async Task A_pool_fills_to_its_size_at_its_fill_rate_and_never_beyond()
    {
        // A step of 400 ms (the class's emulator has 100): a poll every 20 ms sees each browser come, even on a busy machine.
        (await _admin.PutAsync("settings", new StringContent("""{"step_delay_ms":400}"""))).EnsureSuccessStatusCode().Dispose();

        var seen = new List<int>();
        try
        {
            var pool = await PostAsync("browser_pools", new { name = "filling", size = 4, fill_rate_per_minute = 25 }, HttpStatusCode.Created);
            seen.Add(pool.GetProperty("available_count").GetInt32());
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (seen[^1] < 4 && DateTime.UtcNow < deadline)
            {
                seen.Add((await CountsAsync("filling")).Available);
                await Task.Delay(20);
            }
        }
        finally
        {
            (await _admin.PutAsync("settings", new StringContent("""{"step_delay_ms":100}"""))).EnsureSuccessStatusCode().Dispose();
        }

        Assert.Equal(0, seen[0]);
        Assert.Equal(4, seen[^1]);
        Assert.Equal(seen.OrderBy(n => n), seen);
        Assert.True(seen.Distinct().Count() > 2, $"25% a step of 4 adds one browser at a time, not {string.Join(" → ", seen.Distinct())}");
        Assert.Equal(4, (await CountsAsync("filling")).Available);
    }

    [Fact]
    public async Task An_acquired_browser_names_its_pool_shows_on_browsers_and_counts_as_acquired()
    {
        await FullPoolAsync(new { name = "warm", size = 2, fill_rate_per_minute = 100, headless = true, timeout_seconds = 120 });

        var browser = await PostAsync("browser_pools/warm/acquire", new { name = "job-1", tags = new { job = "nightly" } }, HttpStatusCode.OK);
        var listed = (await _client.GetJsonAsync("browsers")).EnumerateArray().Select(b => b.GetProperty("session_id").GetString()).ToList();

        Assert.Equal("warm", browser.GetProperty("pool").GetProperty("name").GetString());
        Assert.Equal("job-1", browser.GetProperty("name").GetString());
        Assert.True(browser.GetProperty("headless").GetBoolean());
        Assert.Equal(120, browser.GetProperty("timeout_seconds").GetInt32());
        Assert.Equal([browser.GetProperty("session_id").GetString()], listed);
        Assert.Equal((1, 1), await CountsAsync("warm"));
    }

    [Fact]
    public async Task Acquire_waits_for_a_release_and_answers_204_when_none_comes_in_time()
    {
        await FullPoolAsync(new { name = "single", size = 1, fill_rate_per_minute = 100 });
        var held = (await PostAsync("browser_pools/single/acquire", new { }, HttpStatusCode.OK)).GetProperty("session_id").GetString();

        var clock = Stopwatch.StartNew();
        using var timedOut = await _client.PostJsonAsync("browser_pools/single/acquire", new { acquire_timeout_seconds = 1 });
        var waitedFor = clock.Elapsed;
        var waiting = _client.PostJsonAsync("browser_pools/single/acquire", new { acquire_timeout_seconds = 30 });
        await Task.Delay(200);
        var stillWaiting = !waiting.IsCompleted;
        await PostAsync("browser_pools/single/release", new { session_id = held, reuse = true }, HttpStatusCode.NoContent);
        using var answered = await waiting;

        Assert.Equal(HttpStatusCode.NoContent, timedOut.StatusCode);
        Assert.True(waitedFor >= TimeSpan.FromSeconds(1), $"the acquire answered 204 after {waitedFor}, before its timeout");
        Assert.True(stillWaiting, "a 30 s acquire answered before anything was released");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(held, (await EmulatorClient.JsonAsync(answered)).GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task Release_takes_only_a_browser_leased_from_that_pool_and_without_reuse_ends_it()
    {
        await FullPoolAsync(new { name = "a", size = 1, fill_rate_per_minute = 100 });
        await FullPoolAsync(new { name = "b", size = 1, fill_rate_per_minute = 100 });
        var own = (await PostAsync("browsers", new { }, HttpStatusCode.OK)).GetProperty("session_id").GetString();
        var leased = (await PostAsync("browser_pools/a/acquire", new { }, HttpStatusCode.OK)).GetProperty("session_id").GetString();

        var notPooled = await PostAsync("browser_pools/a/release", new { session_id = own }, HttpStatusCode.BadRequest);
        var otherPool = await PostAsync("browser_pools/b/release", new { session_id = leased }, HttpStatusCode.BadRequest);
        await PostAsync("browser_pools/a/release", new { session_id = leased, reuse = false }, HttpStatusCode.NoContent);
        var again = await PostAsync("browser_pools/a/release", new { session_id = leased }, HttpStatusCode.BadRequest);

        Assert.Contains("not leased from pool 'a'", notPooled.GetProperty("message").GetString());
        Assert.Contains("not leased from pool 'b'", otherPool.GetProperty("message").GetString());
        Assert.Contains("not leased", again.GetProperty("message").GetString());
        Assert.True((await _client.GetJsonAsync($"browsers/{leased}?include_deleted=true")).TryGetProperty("deleted_at", out _));
        await FullAsync("a");
    }

    [Fact]
    public async Task Flush_ends_idle_browsers_only_and_delete_waits_for_force_while_browsers_are_leased()
    {
        await FullPoolAsync(new { name = "busy", size = 3, fill_rate_per_minute = 100 });
        var leased = (await PostAsync("browser_pools/busy/acquire", new { }, HttpStatusCode.OK)).GetProperty("session_id").GetString();

        await PostAsync("browser_pools/busy/flush", new { }, HttpStatusCode.NoContent);
        var afterFlush = await CountsAsync("busy");
        using var refused = await _client.Http.DeleteAsync("browser_pools/busy");
        using var forced = await _client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "browser_pools/busy") { Content = new StringContent("""{"force":true}""", Encoding.UTF8, "application/json") });

        Assert.Equal(1, afterFlush.Acquired);
        Assert.True(afterFlush.Available < 3, $"flush left {afterFlush.Available} idle browsers");
        await EmulatorClient.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal(HttpStatusCode.NoContent, forced.StatusCode);
        Assert.True((await _client.GetJsonAsync($"browsers/{leased}?include_deleted=true")).TryGetProperty("deleted_at", out _));
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync("browser_pools/busy"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_pool_takes_what_a_browser_takes_and_an_update_replaces_only_what_it_gives()
    {
        await UploadAsync(Extension, "pooled-ext");
        var profile = await PostAsync("profiles", new { name = "pool-profile" }, HttpStatusCode.Created);

        var pool = await PostAsync("browser_pools", new { name = "configured", size = 2, profile = new { name = "pool-profile", save_changes = true }, extensions = new[] { new { name = "pooled-ext" } }, viewport = new { width = 1280, height = 800 } }, HttpStatusCode.Created);
        using var renamed = await _client.PatchJsonAsync("browser_pools/configured", new { name = "renamed", size = 3, extensions = Array.Empty<object>(), profile = new { id = "" } });
        var updated = await EmulatorClient.JsonAsync(renamed);
        var badProxy = await PostAsync("browser_pools", new { size = 1, proxy_id = "nosuch" }, HttpStatusCode.BadRequest);
        var noSize = await PostAsync("browser_pools", new { name = "x" }, HttpStatusCode.BadRequest);

        Assert.Equal(profile.GetProperty("id").GetString(), pool.GetProperty("profile_id").GetString());
        Assert.Single(pool.GetProperty("extension_ids").EnumerateArray());
        Assert.False(pool.GetProperty("browser_pool_config").GetProperty("profile").TryGetProperty("save_changes", out _));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("renamed", updated.GetProperty("name").GetString());
        Assert.Equal(3, updated.GetProperty("browser_pool_config").GetProperty("size").GetInt32());
        Assert.Equal(1280, updated.GetProperty("browser_pool_config").GetProperty("viewport").GetProperty("width").GetInt32());
        Assert.Empty(updated.GetProperty("extension_ids").EnumerateArray());
        Assert.False(updated.TryGetProperty("profile_id", out _));
        Assert.Contains("proxy", badProxy.GetProperty("message").GetString());
        Assert.Contains("size", noSize.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Faults_and_the_journal_cover_the_extension_and_pool_routes()
    {
        using (await _admin.PostAsync("faults", new StringContent("""{"method":"POST","path":"/browser_pools/*/acquire","kind":"status","status":503,"times":1}""", Encoding.UTF8, "application/json")))
        {
        }

        await FullPoolAsync(new { name = "faulty", size = 1, fill_rate_per_minute = 100 });
        using var refused = await _client.PostJsonAsync("browser_pools/faulty/acquire", new { });
        using var acquired = await _client.PostJsonAsync("browser_pools/faulty/acquire", new { });
        await UploadAsync(Extension);
        var journal = JsonDocument.Parse(await _admin.GetStringAsync("journal")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == _client.Project)
            .Where(e => e.GetProperty("method").GetString() == "POST")
            .Select(e => (e.GetProperty("path").GetString(), e.GetProperty("status").GetInt32(), e.TryGetProperty("form_fields", out var f) ? string.Join(",", f.EnumerateArray().Select(x => x.GetString())) : null))
            .ToList();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, acquired.StatusCode);
        Assert.Equal([("/browser_pools", 201, null), ("/browser_pools/faulty/acquire", 503, null), ("/browser_pools/faulty/acquire", 200, null), ("/extensions", 201, "file")], journal);
    }
}
