using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>The emulator's profiles and proxies, and their scripted outcomes, where they go beyond the SDK referee.</summary>
public sealed class ProfileAndProxyEndpointTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorClient _client = new(emulator);
    private readonly HttpClient _admin = new() { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };

    public void Dispose()
    {
        _admin.DeleteAsync("scripts").GetAwaiter().GetResult().Dispose();
        _admin.DeleteAsync("faults").GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _client.Dispose();
    }

    private async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await _client.PostJsonAsync(path, body);
        Assert.Equal(expected, response.StatusCode);
        return await EmulatorClient.JsonAsync(response);
    }

    private async Task ControlAsync(string path, string json)
    {
        using var response = await _admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Profile_names_are_unique_without_regard_to_case_and_follow_the_pattern()
    {
        await PostAsync("profiles", new { name = "Shop" });

        await EmulatorClient.AssertErrorAsync(await _client.PostJsonAsync("profiles", new { name = "shop" }), HttpStatusCode.Conflict, "conflict");
        await EmulatorClient.AssertErrorAsync(await _client.PostJsonAsync("profiles", new { name = "has space" }), HttpStatusCode.BadRequest, "bad_request");
        await PostAsync("profiles", new { name = "other" });
        await EmulatorClient.AssertErrorAsync(await _client.PatchJsonAsync("profiles/other", new { name = "SHOP" }), HttpStatusCode.Conflict, "conflict");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.Http.DeleteAsync("profiles/other")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.GetAsync("profiles/other")).StatusCode);
    }

    [Fact]
    public async Task A_scripted_profile_download_answers_202_that_many_times_then_the_profile()
    {
        var profile = await PostAsync("profiles", new { name = "warming" });
        await ControlAsync("scripts/profile-downloads", """{"profile":"warming","not_ready":2}""");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.Http.GetAsync("profiles/warming/download?format=tar");
            answers.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.OK], answers);
        var tar = await _client.Http.GetByteArrayAsync($"profiles/{profile.GetProperty("id").GetString()}/download?format=tar");
        Assert.Equal("ustar", Encoding.ASCII.GetString(tar, 257, 5));
        Assert.Equal("Default/Preferences", Encoding.ASCII.GetString(tar, 0, 19));
    }

    [Fact]
    public async Task The_default_profile_download_is_a_zstd_frame_around_the_tar()
    {
        await PostAsync("profiles", new { name = "zst" });
        await ControlAsync("scripts/profile-downloads", """{"profile":"zst","not_ready":1}""");
        using (await _client.Http.GetAsync("profiles/zst/download"))
        {
        }

        var frame = await _client.Http.GetByteArrayAsync("profiles/zst/download");
        var tar = await _client.Http.GetByteArrayAsync("profiles/zst/download?format=tar");

        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(frame));
        Assert.Equal(tar, RawZstdContent(frame));
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync("profiles/zst/download?format=zip"), HttpStatusCode.BadRequest, "bad_request");
    }

    [Theory]
    [InlineData("""{"type":"custom","config":{"host":"h"}}""", "config.host and config.port")]
    [InlineData("""{"type":"datacenter","config":{"zip":"10115"}}""", "config.zip is not a setting of a datacenter proxy")]
    [InlineData("""{"type":"residential","config":{"city":"berlin"}}""", "config.city needs config.country")]
    [InlineData("""{"type":"satellite"}""", "type is required")]
    [InlineData("""{"type":"isp","protocol":"socks5"}""", "protocol")]
    [InlineData("""{"type":"isp","config":{"country":"Germany"}}""", "two-letter")]
    public async Task Proxies_take_only_the_settings_of_their_type(string body, string says)
    {
        using var response = await _client.Http.PostAsync("proxies", new StringContent(body, Encoding.UTF8, "application/json"));

        await EmulatorClient.AssertErrorAsync(response, HttpStatusCode.BadRequest, "bad_request");
        Assert.Contains(says, (await EmulatorClient.JsonAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_mobile_proxy_takes_every_setting_the_spec_gives_it()
    {
        // MobileProxyConfig: country, city, state, zip, asn, carrier (the type is deprecated, but the SDK still sends it).
        var proxy = await PostAsync("proxies", new { type = "mobile", config = new { country = "US", city = "sanfrancisco", state = "CA", zip = "94107", asn = "AS15169", carrier = "att" } });

        Assert.Equal("att", proxy.GetProperty("config").GetProperty("carrier").GetString());
        Assert.Equal("94107", proxy.GetProperty("config").GetProperty("zip").GetString());
    }

    [Fact]
    public async Task A_custom_proxys_password_is_write_only()
    {
        var proxy = await PostAsync("proxies", new { type = "custom", config = new { host = "10.1.2.3", port = 8080, username = "u", password = "hunter2" } });
        var listed = await _client.Http.GetStringAsync("proxies");

        Assert.True(proxy.GetProperty("config").GetProperty("has_password").GetBoolean());
        Assert.Equal("10.1.2.3", proxy.GetProperty("ip_address").GetString());
        Assert.DoesNotContain("hunter2", proxy.GetRawText() + listed);
    }

    [Fact]
    public async Task A_scripted_check_reports_unavailable_and_a_check_against_a_url_changes_nothing()
    {
        var id = (await PostAsync("proxies", new { type = "isp", name = "flaky" })).GetProperty("id").GetString();
        await ControlAsync("scripts/proxy-checks", """{"proxy":"flaky","status":"unavailable","times":2}""");

        var viaUrl = await PostAsync($"proxies/{id}/check", new { url = "https://example.com" }, HttpStatusCode.OK);
        var checkedNow = await PostAsync($"proxies/{id}/check", new { }, HttpStatusCode.OK);
        var again = await PostAsync($"proxies/{id}/check", new { }, HttpStatusCode.OK);

        Assert.Equal("unavailable", viaUrl.GetProperty("status").GetString());
        Assert.False(viaUrl.TryGetProperty("last_checked", out _));
        Assert.Equal("unavailable", checkedNow.GetProperty("status").GetString());
        Assert.Equal("available", again.GetProperty("status").GetString());
        await EmulatorClient.AssertErrorAsync(await _client.PostJsonAsync($"proxies/{id}/check", new { url = "file:///etc/passwd" }), HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Faults_and_the_journal_cover_the_new_routes()
    {
        using (await _admin.PostAsync("faults", new StringContent("""{"method":"POST","path":"/browsers","kind":"status","status":503,"times":1}""", Encoding.UTF8, "application/json")))
        {
        }

        using var refused = await _client.PostJsonAsync("browsers", new { });
        using var created = await _client.PostJsonAsync("browsers", new { });
        var journal = JsonDocument.Parse(await _admin.GetStringAsync("journal")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == _client.Project)
            .Select(e => (e.GetProperty("method").GetString(), e.GetProperty("path").GetString(), e.GetProperty("status").GetInt32()))
            .ToList();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal([("POST", "/browsers", 503), ("POST", "/browsers", 200)], journal);
    }

    /// <summary>The content of a zstd frame made of raw blocks only (RFC 8878), as the emulator writes it.</summary>
    private static byte[] RawZstdContent(byte[] frame)
    {
        Assert.Equal(0xA0, frame[4]); // single segment, 4-byte content size, no checksum
        var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(5));
        var content = new List<byte>();
        for (var offset = 9; ;)
        {
            var header = frame[offset] | (frame[offset + 1] << 8) | (frame[offset + 2] << 16);
            Assert.Equal(0, (header >> 1) & 3); // raw block
            var length = header >> 3;
            content.AddRange(frame.AsSpan(offset + 3, length).ToArray());
            offset += 3 + length;
            if ((header & 1) == 1)
            {
                Assert.Equal(frame.Length, offset);
                break;
            }
        }

        Assert.Equal(size, content.Count);
        return content.ToArray();
    }
}
