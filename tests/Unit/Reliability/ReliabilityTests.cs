using System.Diagnostics;
using System.Management.Automation;
using System.Net.Http.Json;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Reliability;

/// <summary>
/// A 3 a.m. runbook either succeeds or fails with one clear line: never hangs, never deploys twice.
/// Each test injects the emulator's faults and works in a project of its own.
/// </summary>
[Collection(TemporaryArchives.Name)]
public sealed class ReliabilityTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;
    private readonly string _project = "proj-" + Guid.NewGuid().ToString("N")[..8];

    public ReliabilityTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        Connect();
    }

    public void Dispose()
    {
        _admin.DeleteAsync("faults").GetAwaiter().GetResult().Dispose();
        _admin.PutAsJsonAsync("settings", new { step_delay_ms = 100, heartbeat_ms = 5000 }).GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _shell.Dispose();
    }

    private void Connect(string extra = "") =>
        _shell.Run($"param($uri, $key, $project) Connect-Kernel -BaseUri $uri -ApiKey $key -ProjectId $project {extra}", ("uri", _emulator.BaseUri), ("key", _emulator.ApiKey), ("project", _project)).ThrowOnError();

    private async Task FaultAsync(object fault)
    {
        using var response = await _admin.PostAsJsonAsync("faults", fault);
        response.EnsureSuccessStatusCode();
    }

    private async Task<List<JsonElement>> JournalAsync(string method, string path) =>
        JsonDocument.Parse(await _admin.GetStringAsync("journal")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("method").GetString() == method && e.GetProperty("path").GetString() == path)
            .Where(e => e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == _project)
            .ToList();

    private ScriptResult Deploy(string extra = "") =>
        _shell.Run($"param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py {extra}", ("path", RepositoryPaths.Example("page-title")));

    private int DeploymentCount() => _shell.Run("@(Get-KernelDeployment).Count").ThrowOnError().Single<int>();

    [Fact]
    public async Task A_GET_that_fails_twice_with_503_succeeds_on_the_third_try_and_says_so()
    {
        var deployment = Deploy().ThrowOnError().Single<KernelDeployment>();
        await FaultAsync(new { method = "GET", path = "/deployments/*", kind = "status", status = 503, times = 2 });

        var result = _shell.Run("param($id) Get-KernelDeployment -Id $id -Verbose", ("id", deployment.Id)).ThrowOnError();

        Assert.Equal(deployment.Id, result.Single<KernelDeployment>().Id);
        Assert.Equal(2, result.Verbose.Count(v => v.Contains("retrying in")));
        Assert.Equal(3, (await JournalAsync("GET", "/deployments/" + deployment.Id)).Count);
    }

    [Fact]
    public async Task A_GET_that_keeps_failing_gives_up_after_the_retries_with_the_last_error()
    {
        await FaultAsync(new { method = "GET", path = "/deployments/*", kind = "status", status = 500, times = 3 });

        var result = _shell.Run("Get-KernelDeployment -Id whatever");

        Assert.StartsWith("ApiServerError,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal(3, (await JournalAsync("GET", "/deployments/whatever")).Count);
    }

    [Fact]
    public async Task Retry_After_is_honoured()
    {
        await FaultAsync(new { method = "GET", path = "/apps", kind = "status", status = 429, retry_after = 1, times = 1 });
        var clock = Stopwatch.StartNew();

        _shell.Run("Get-KernelApp").ThrowOnError();

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_returns_the_deployment_it_made_exactly_once()
    {
        await FaultAsync(new { method = "POST", path = "/deployments", kind = "drop_mid_body", times = 1 });

        var result = Deploy("-Verbose").ThrowOnError();

        Assert.Equal("queued", result.Single<KernelDeployment>().Status);
        Assert.Contains(result.Verbose, v => v.Contains("The upload did arrive"));
        Assert.Single(await JournalAsync("POST", "/deployments"));
        Assert.Equal(1, DeploymentCount());
    }

    [Fact]
    public async Task A_timeout_after_the_upload_finds_the_deployment_instead_of_sending_it_again()
    {
        Connect("-RequestTimeout 1");
        await FaultAsync(new { method = "POST", path = "/deployments", kind = "delay_answer", delay_ms = 4000, times = 1 });

        var result = Deploy().ThrowOnError();

        Assert.NotNull(result.Single<KernelDeployment>().Id);
        Assert.Single(await JournalAsync("POST", "/deployments"));
        Assert.Equal(1, DeploymentCount());
    }

    [Fact]
    public async Task A_create_that_failed_before_anything_was_made_says_it_is_safe_to_run_again()
    {
        await FaultAsync(new { method = "POST", path = "/deployments", kind = "status", status = 503, times = 1 });

        var result = Deploy();

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("DeploymentNotCreated,", error.FullyQualifiedErrorId);
        Assert.Contains("It is safe to run the command again.", error.Exception.Message);
        Assert.DoesNotContain("\n", error.Exception.Message);
        Assert.Single(await JournalAsync("POST", "/deployments"));
        Assert.Equal(0, DeploymentCount());
    }

    [Fact]
    public async Task A_create_refused_with_429_is_sent_again_after_Retry_After()
    {
        await FaultAsync(new { method = "POST", path = "/deployments", kind = "status", status = 429, retry_after = 1, times = 1 });

        Deploy().ThrowOnError();

        Assert.Equal(2, (await JournalAsync("POST", "/deployments")).Count);
        Assert.Equal(1, DeploymentCount());
    }

    [Fact]
    public async Task A_server_that_needs_a_Content_Length_gets_the_same_archive_from_a_file()
    {
        await FaultAsync(new { method = "POST", path = "/deployments", kind = "status", status = 411, times = 1 });

        var result = Deploy("-Verbose").ThrowOnError();

        Assert.Contains(result.Verbose, v => v.Contains("wants a Content-Length"));
        var posts = await JournalAsync("POST", "/deployments");
        Assert.Equal(2, posts.Count);
        Assert.False(posts[0].GetProperty("headers").TryGetProperty("Content-Length", out _));
        Assert.True(posts[1].GetProperty("headers").TryGetProperty("Content-Length", out _));
        Assert.Equal(1, DeploymentCount());
    }

    [Fact]
    public async Task An_event_stream_cut_after_three_events_is_resumed_with_every_log_line_once()
    {
        await FaultAsync(new { path = "/deployments/*/events", kind = "cut_stream", after_events = 3, times = 1 });

        var result = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py | Wait-KernelDeployment -Verbose", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Equal("running", result.Single<KernelDeployment>().Status);
        Assert.Single(result.Verbose, v => v.Contains("broke") && v.Contains("reconnecting"));
        var logs = result.Information.Where(i => i.Tags.Contains("KernelLog")).Select(i => ((KernelLogEntry)i.MessageData).Message).ToList();
        Assert.Equal(
            ["Received app archive", "Building main.py", "Installing dependencies from pyproject.toml", "Starting app 'page-title' with 2 action(s)"],
            logs.Select(l => l.StartsWith("Received app archive", StringComparison.Ordinal) ? "Received app archive" : l));
    }

    [Fact]
    public async Task A_stream_that_keeps_breaking_falls_back_to_polling_and_says_so()
    {
        await FaultAsync(new { path = "/deployments/*/events", kind = "cut_stream", after_events = 0, times = 0 });

        var result = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py | Wait-KernelDeployment", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Equal("running", result.Single<KernelDeployment>().Status);
        Assert.Contains(result.Warnings, w => w.Contains("following it by polling instead"));
    }

    [Fact]
    public async Task A_wait_rides_out_503s_on_its_stream_and_on_its_lookups_beyond_the_client_retries()
    {
        await FaultAsync(new { method = "GET", path = "/deployments/*/events", kind = "status", status = 503, times = 3 });
        await FaultAsync(new { method = "GET", path = "/deployments/*", kind = "status", status = 503, times = 4 });

        var result = Deploy("-Wait -Verbose").ThrowOnError();

        Assert.Equal("running", result.Single<KernelDeployment>().Status);
        Assert.Contains(result.Verbose, v => v.Contains("still waiting, trying again in"));
        Assert.Single(await JournalAsync("POST", "/deployments"));
        Assert.Equal(1, DeploymentCount());
    }

    [Fact]
    public async Task A_wait_that_fails_after_the_deployment_was_created_names_it_and_the_command_that_resumes()
    {
        await FaultAsync(new { method = "GET", path = "/deployments/*/events", kind = "malformed_json", after_events = 1, times = 1 });

        var result = Deploy("-Wait");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ApiProtocolError,", error.FullyQualifiedErrorId);
        Assert.Matches(@"^Deployment (\w+) was created, but following it failed: .+ Take it up again with: Wait-KernelDeployment -Id \1$", error.ErrorDetails.Message);
        Assert.StartsWith("Wait-KernelDeployment -Id ", error.ErrorDetails.RecommendedAction);
        Assert.Equal(1, DeploymentCount());
    }

    [Fact]
    public async Task Malformed_json_from_the_server_is_one_clear_error()
    {
        var deployment = Deploy().ThrowOnError().Single<KernelDeployment>();
        await FaultAsync(new { method = "GET", path = "/deployments/*", kind = "malformed_json", times = 1 });

        var error = Assert.Single(_shell.Run("param($id) Get-KernelDeployment -Id $id", ("id", deployment.Id)).Errors);

        Assert.StartsWith("ApiProtocolError,", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("\n", error.Exception.Message);
    }

    [Fact]
    public async Task Stopping_mid_upload_from_a_temporary_archive_ends_within_a_second_and_deletes_it()
    {
        using var app = new TempFolder().With("main.py", "import kernel\napp = kernel.App(\"big\")\n");
        var random = new Random(7);
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[16 * 1024 * 1024];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(app.Path, $"blob{i}.png"), bytes);
        }

        // A server that wants a Content-Length (411) gets the archive from a temporary file: the one path that writes one.
        await FaultAsync(new { method = "POST", path = "/deployments", kind = "status", status = 411, times = 1 });
        await FaultAsync(new { method = "POST", path = "/deployments", kind = "delay", delay_ms = 30000, times = 1 });
        var before = Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip").ToHashSet();
        using var deploy = _shell.Start("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", app.Path));
        var running = deploy.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await JournalPendingAsync()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(await JournalPendingAsync(), "the upload from the temporary archive never reached the server");
        Assert.Contains(Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip"), f => !before.Contains(f));
        var clock = Stopwatch.StartNew();
        deploy.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed}");
        Assert.True(running.IsCompleted);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip"), f => !before.Contains(f));
    }

    /// <summary>True once every fault has been taken: the delayed upload has reached the emulator.</summary>
    private async Task<bool> JournalPendingAsync() =>
        JsonDocument.Parse(await _admin.GetStringAsync("faults")).RootElement.GetArrayLength() == 0;
}
