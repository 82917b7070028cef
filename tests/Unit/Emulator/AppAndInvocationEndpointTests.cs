using System.Net;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>The emulator's apps and invocations endpoints (kernel-api.md §7–8).</summary>
public sealed class AppAndInvocationEndpointTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorClient _client = new(emulator);

    public void Dispose() => _client.Dispose();

    private async Task<string> RunningShopAsync(string version = "latest")
    {
        var created = await _client.DeployShopAsync(version, force: true);
        var id = created.GetProperty("id").GetString()!;
        await _client.WaitForStatusAsync($"deployments/{id}", "running");
        return id;
    }

    [Fact]
    public async Task Apps_are_the_versions_running_deployments_serve()
    {
        var deployment = await RunningShopAsync("1.0");
        await RunningShopAsync("2.0");

        var all = await _client.GetJsonAsync("apps");
        var one = await _client.GetJsonAsync("apps?app_name=shop&version=1.0");
        var searched = await _client.GetJsonAsync("apps?query=sho");

        Assert.Equal(2, all.GetArrayLength());
        var app = Assert.Single(one.EnumerateArray());
        Assert.Equal(deployment, app.GetProperty("deployment").GetString());
        Assert.Equal("aws.us-east-1a", app.GetProperty("region").GetString());
        Assert.Equal(["buy", "sell"], app.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Object, app.GetProperty("env_vars").ValueKind);
        Assert.Equal(2, searched.GetArrayLength());
    }

    [Fact]
    public async Task A_sync_invocation_returns_200_with_the_echoed_payload()
    {
        await RunningShopAsync();

        using var response = await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "buy", version = "latest", payload = """{"item":"apple"}""" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await EmulatorClient.JsonAsync(response);
        Assert.Equal("succeeded", result.GetProperty("status").GetString());
        var output = JsonDocument.Parse(result.GetProperty("output").GetString()!).RootElement;
        Assert.Equal("apple", output.GetProperty("payload").GetProperty("item").GetString());
        Assert.Equal("buy", output.GetProperty("action").GetString());
    }

    [Fact]
    public async Task An_async_invocation_returns_202_queued_and_its_stream_ends_when_it_succeeds()
    {
        await RunningShopAsync();

        using var response = await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "sell", version = "latest", @async = true });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await EmulatorClient.JsonAsync(response);
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        var id = queued.GetProperty("id").GetString();

        var events = await _client.ReadEventsAsync($"invocations/{id}/events");

        var states = events.Where(e => e.GetProperty("event").GetString() == "invocation_state").Select(e => e.GetProperty("invocation").GetProperty("status").GetString()).ToList();
        Assert.Equal(["queued", "running", "succeeded"], states);
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "log");
        var done = await _client.GetJsonAsync($"invocations/{id}");
        Assert.Equal("shop", done.GetProperty("app_name").GetString());
        Assert.True(done.TryGetProperty("finished_at", out _));
    }

    [Theory]
    [InlineData("""{"action_name":"buy"}""", HttpStatusCode.BadRequest, "bad_request")]
    [InlineData("""{"app_name":"shop","action_name":"buy","payload":"{not json"}""", HttpStatusCode.BadRequest, "bad_request")]
    [InlineData("""{"app_name":"shop","action_name":"buy","async":true,"async_timeout_seconds":5}""", HttpStatusCode.BadRequest, "bad_request")]
    [InlineData("""{"app_name":"nope","action_name":"buy"}""", HttpStatusCode.NotFound, "not_found")]
    [InlineData("""{"app_name":"shop","action_name":"steal"}""", HttpStatusCode.NotFound, "not_found")]
    public async Task Bad_invocations_are_refused(string body, HttpStatusCode status, string code)
    {
        await RunningShopAsync();

        using var response = await _client.Http.PostAsync("invocations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await EmulatorClient.AssertErrorAsync(response, status, code);
    }

    [Fact]
    public async Task Patching_failed_cancels_the_invocation_and_destroys_its_browsers()
    {
        await RunningShopAsync();
        using var settings = new HttpClient { BaseAddress = emulator.BaseUri };
        using var slow = await settings.PutAsync("_emulator/settings", new StringContent("""{"step_delay_ms":1500,"heartbeat_ms":5000}"""));
        try
        {
            using var created = await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "buy", @async = true });
            var id = (await EmulatorClient.JsonAsync(created)).GetProperty("id").GetString();
            await _client.WaitForStatusAsync($"invocations/{id}", "running");
            Assert.Equal(1, (await _client.GetJsonAsync($"invocations/{id}/browsers")).GetProperty("browsers").GetArrayLength());

            using var patched = await _client.PatchJsonAsync($"invocations/{id}", new { status = "failed", output = """{"error":"Invocation cancelled by user"}""" });

            var invocation = await EmulatorClient.JsonAsync(patched);
            Assert.Equal("failed", invocation.GetProperty("status").GetString());
            Assert.Equal("""{"error":"Invocation cancelled by user"}""", invocation.GetProperty("output").GetString());
            Assert.Equal(0, (await _client.GetJsonAsync($"invocations/{id}/browsers")).GetProperty("browsers").GetArrayLength());
            await EmulatorClient.AssertErrorAsync(await _client.PatchJsonAsync($"invocations/{id}", new { status = "paused" }), HttpStatusCode.BadRequest, "bad_request");
        }
        finally
        {
            using var fast = await settings.PutAsync("_emulator/settings", new StringContent("""{"step_delay_ms":100,"heartbeat_ms":5000}"""));
        }
    }

    [Fact]
    public async Task Deleting_an_invocations_browsers_is_204()
    {
        await RunningShopAsync();
        using var created = await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "buy" });
        var id = (await EmulatorClient.JsonAsync(created)).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await _client.Http.DeleteAsync($"invocations/{id}/browsers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.Http.DeleteAsync("invocations/nosuchid/browsers")).StatusCode);
    }

    [Fact]
    public async Task Invocation_lists_filter_by_every_field_and_refuse_an_unknown_status()
    {
        var deployment = await RunningShopAsync();
        using (await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "buy" }))
        using (await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "sell" }))
        {
        }

        Assert.Equal(1, (await _client.GetJsonAsync("invocations?action_name=sell")).GetArrayLength());
        Assert.Equal(2, (await _client.GetJsonAsync($"invocations?app_name=shop&version=latest&status=succeeded&deployment_id={deployment}&since=1h")).GetArrayLength());
        Assert.Equal(1, (await _client.GetJsonAsync("invocations?query=sell")).GetArrayLength());
        Assert.Equal(1, (await _client.GetJsonAsync("invocations?limit=1")).GetArrayLength());
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync("invocations?status=done"), HttpStatusCode.BadRequest, "bad_request");
    }
}
