using System.Net;
using System.Text;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Emulator;

/// <summary>The emulator's control surface under /_emulator: journal, faults, scripted outcomes.</summary>
public sealed class ControlSurfaceTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorClient _client = new(emulator);
    private readonly HttpClient _admin = new() { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };

    public void Dispose()
    {
        _admin.DeleteAsync("faults").GetAwaiter().GetResult().Dispose();
        _admin.DeleteAsync("scripts").GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _client.Dispose();
    }

    private async Task FaultAsync(string json)
    {
        using var response = await _admin.PostAsync("faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task The_archive_a_deployment_was_made_from_can_be_fetched_as_sent()
    {
        var zip = EmulatorClient.Zip(("main.py", EmulatorClient.PythonApp));
        using var created = await _client.CreateAsync(zip, ("entrypoint_rel_path", "main.py"));
        var id = (await EmulatorClient.JsonAsync(created)).GetProperty("id").GetString();

        using var archive = await _admin.GetAsync($"deployments/{id}/archive");
        using var unknown = await _admin.GetAsync("deployments/nosuchid/archive");

        Assert.Equal("application/zip", archive.Content.Headers.ContentType?.MediaType);
        Assert.Equal(zip, await archive.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Scripted_build_log_lines_arrive_with_one_timestamp_repeats_included()
    {
        using var scripted = await _admin.PostAsync("scripts/deployment-logs", new StringContent("""{"app_name":"shop","lines":["Collecting x","","","ok","ok"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, scripted.StatusCode);

        var created = await _client.DeployShopAsync();
        var events = await _client.ReadEventsAsync($"deployments/{created.GetProperty("id")}/events", seconds: 2);

        var burst = events.Where(e => e.GetProperty("event").GetString() == "log").SkipWhile(e => !e.GetProperty("message").GetString()!.StartsWith("Collecting", StringComparison.Ordinal)).Take(5).ToList();
        Assert.Equal(["Collecting x\n", "\n", "\n", "ok\n", "ok\n"], burst.Select(e => e.GetProperty("message").GetString()));
        Assert.Single(burst.Select(e => e.GetProperty("timestamp").GetString()).Distinct());
    }

    [Fact]
    public async Task The_journal_records_requests_with_the_key_redacted_and_only_form_field_names()
    {
        await _client.DeployShopAsync();

        var journal = JsonDocument.Parse(await _admin.GetStringAsync("journal")).RootElement;

        var create = journal.EnumerateArray().Last(e => e.GetProperty("method").GetString() == "POST" && e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == _client.Project);
        Assert.Equal("/deployments", create.GetProperty("path").GetString());
        Assert.Equal("Bearer REDACTED", create.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal(["entrypoint_rel_path", "file", "force", "version"], create.GetProperty("form_fields").EnumerateArray().Select(f => f.GetString()).Order());
        Assert.Equal(201, create.GetProperty("status").GetInt32());
        Assert.DoesNotContain(emulator.ApiKeyText, journal.GetRawText());
    }

    [Fact]
    public async Task A_status_fault_answers_N_times_with_Retry_After_then_lets_requests_through()
    {
        await FaultAsync("""{"method":"GET","path":"/deployments","kind":"status","status":429,"retry_after":3,"times":2}""");

        using var first = await _client.Http.GetAsync("deployments");
        using var second = await _client.Http.GetAsync("deployments");
        using var third = await _client.Http.GetAsync("deployments");

        await EmulatorClient.AssertErrorAsync(first, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("3", first.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task A_drop_fault_closes_the_connection_without_an_answer()
    {
        await FaultAsync("""{"path":"/deployments/*","kind":"drop"}""");

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.Http.GetAsync("deployments/anything"));
    }

    [Fact]
    public async Task A_drop_mid_body_fault_breaks_the_answer_halfway()
    {
        var created = await _client.DeployShopAsync();
        await FaultAsync("""{"path":"/deployments/*","kind":"drop_mid_body"}""");

        await Assert.ThrowsAnyAsync<Exception>(async () => await _client.Http.GetStringAsync($"deployments/{created.GetProperty("id")}"));
    }

    [Fact]
    public async Task A_malformed_json_fault_sends_a_body_that_is_not_json()
    {
        var created = await _client.DeployShopAsync();
        await FaultAsync("""{"path":"/deployments/*","kind":"malformed_json"}""");

        using var response = await _client.Http.GetAsync($"deployments/{created.GetProperty("id")}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()));
    }

    [Fact]
    public async Task A_cut_stream_fault_ends_an_event_stream_after_K_events()
    {
        var created = await _client.DeployShopAsync();
        var id = created.GetProperty("id").GetString();
        await _client.WaitForStatusAsync($"deployments/{id}", "running");
        await FaultAsync("""{"path":"/deployments/*/events","kind":"cut_stream","after_events":2}""");

        var cut = await Assert.ThrowsAnyAsync<Exception>(async () => await _client.ReadEventsAsync($"deployments/{id}/events", seconds: 5));
        var whole = await _client.ReadEventsAsync($"deployments/{id}/events", seconds: 1);

        Assert.True(whole.Count > 2);
        Assert.NotNull(cut);
    }

    [Fact]
    public async Task Heartbeats_keep_an_idle_stream_alive_at_the_configured_interval()
    {
        var created = await _client.DeployShopAsync();
        var id = created.GetProperty("id").GetString();
        await _client.WaitForStatusAsync($"deployments/{id}", "running");
        using var fast = await _admin.PutAsync("settings", new StringContent("""{"step_delay_ms":100,"heartbeat_ms":100}"""));
        try
        {
            var events = await _client.ReadEventsAsync($"deployments/{id}/events", seconds: 1);

            Assert.True(events.Count(e => e.GetProperty("event").GetString() == "sse_heartbeat") >= 3);
        }
        finally
        {
            using var normal = await _admin.PutAsync("settings", new StringContent("""{"step_delay_ms":100,"heartbeat_ms":5000}"""));
        }
    }

    [Fact]
    public async Task A_scripted_deployment_failure_fails_the_next_build_of_that_app_with_the_reason()
    {
        using var scripted = await _admin.PostAsync("scripts/deployment-failures", new StringContent("""{"app_name":"shop","reason":"pip install failed: no matching distribution"}"""));
        Assert.Equal(HttpStatusCode.Created, scripted.StatusCode);

        var created = await _client.DeployShopAsync();
        var failed = await _client.WaitForStatusAsync($"deployments/{created.GetProperty("id")}", "failed");
        var next = await _client.DeployShopAsync();

        Assert.Equal("pip install failed: no matching distribution", failed.GetProperty("status_reason").GetString());
        await _client.WaitForStatusAsync($"deployments/{next.GetProperty("id")}", "running");
    }

    [Fact]
    public async Task A_scripted_invocation_result_replaces_the_echo()
    {
        var created = await _client.DeployShopAsync(force: true);
        await _client.WaitForStatusAsync($"deployments/{created.GetProperty("id")}", "running");
        using var scripted = await _admin.PostAsync("scripts/invocation-results", new StringContent("""{"action_name":"buy","status":"failed","output":"{\"error\":\"out of stock\"}"}"""));
        Assert.Equal(HttpStatusCode.Created, scripted.StatusCode);

        using var response = await _client.PostJsonAsync("invocations", new { app_name = "shop", action_name = "buy" });

        var result = await EmulatorClient.JsonAsync(response);
        Assert.Equal("failed", result.GetProperty("status").GetString());
        Assert.Equal("""{"error":"out of stock"}""", result.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Unknown_routes_answer_404_in_Kernels_error_shape() =>
        await EmulatorClient.AssertErrorAsync(await _client.Http.GetAsync("no/such/route"), HttpStatusCode.NotFound, "not_found");
}
