using System.Net.Http.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>API errors name the object and the PowerShell fix, not just the API's words.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class ErrorMessageTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();

    public ErrorMessageTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _shell.Run(
            "param($uri, $key) Connect-Kernel -BaseUri $uri -ApiKey $key -ProjectId ('err-' + [guid]::NewGuid().ToString('N').Substring(0, 8))",
            ("uri", emulator.BaseUri), ("key", emulator.ApiKey)).ThrowOnError();
    }

    public void Dispose()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_emulator.BaseUri, "_emulator/") };
        admin.DeleteAsync("faults").GetAwaiter().GetResult().Dispose();
        _shell.Dispose();
    }

    private async Task FaultAsync(object fault)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_emulator.BaseUri, "_emulator/") };
        using var response = await admin.PostAsJsonAsync("faults", fault);
        response.EnsureSuccessStatusCode();
    }

    private void DeployVersion(string version) =>
        _shell.Run("param($path, $version) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Version $version -Wait", ("path", RepositoryPaths.Example("page-title")), ("version", version)).ThrowOnError();

    [Fact]
    public void A_404_names_the_id()
    {
        var error = Assert.Single(_shell.Run("Get-KernelDeployment -Id nosuchdeployment").Errors);

        Assert.StartsWith("ApiNotFound,", error.FullyQualifiedErrorId);
        Assert.StartsWith("Deployment 'nosuchdeployment' was not found: Kernel API error 404", error.ErrorDetails.Message);
    }

    [Fact]
    public void A_409_says_Force()
    {
        DeployVersion("1.0");

        var error = Assert.Single(_shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Version 1.0", ("path", RepositoryPaths.Example("page-title"))).Errors);

        Assert.StartsWith("ApiConflict,", error.FullyQualifiedErrorId);
        Assert.Contains("Run the command again with -Force to replace version '1.0'", error.ErrorDetails.Message);
    }

    [Fact]
    public void A_rejected_key_says_where_it_came_from()
    {
        using var other = new PowerShellSession();
        other.Run("param($uri) Connect-Kernel -BaseUri $uri -ApiKey (ConvertTo-SecureString 'sk_wrong' -AsPlainText -Force) -SkipVerify", ("uri", _emulator.BaseUri)).ThrowOnError();
        var fromParameter = Assert.Single(other.Run("Get-KernelDeployment -Id d1").Errors);
        var fromEnvironment = Assert.Single(other.Run("param($uri) Disconnect-Kernel; $env:KERNEL_BASE_URL = $uri; $env:KERNEL_API_KEY = 'sk_env_wrong'; try { Get-KernelApp } finally { $env:KERNEL_API_KEY = $null; $env:KERNEL_BASE_URL = $null }", ("uri", _emulator.BaseUri.ToString())).Errors);

        Assert.StartsWith("ApiUnauthorized,", fromParameter.FullyQualifiedErrorId);
        Assert.Contains("The API key came from the -ApiKey parameter", fromParameter.ErrorDetails.Message);
        Assert.Contains("The API key came from the KERNEL_API_KEY environment variable", fromEnvironment.ErrorDetails.Message);
        Assert.StartsWith("Check the key, or connect with the right one: Connect-Kernel", fromEnvironment.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Invoking_a_version_that_does_not_run_suggests_the_ones_that_do()
    {
        DeployVersion("2.5");

        var error = Assert.Single(_shell.Run("Invoke-KernelAction page-title health").Errors);

        Assert.StartsWith("ApiNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("App 'page-title' has no version 'latest' running; it runs '2.5': add -Version 2.5.", error.ErrorDetails.Message);
    }

    [Fact]
    public void Invoking_an_action_the_app_lacks_lists_its_actions()
    {
        DeployVersion("3.0");

        var error = Assert.Single(_shell.Run("Invoke-KernelAction page-title nope -Version 3.0").Errors);

        Assert.Contains("has no action 'nope'; its actions: get-page-title, health.", error.ErrorDetails.Message);
    }

    [Fact]
    public async Task An_error_body_keeps_its_details_and_inner_error()
    {
        await FaultAsync(new
        {
            method = "GET", path = "/deployments/*", kind = "status", status = 400, code = "bad_request", message = "bad id",
            details = new[] { new { code = "invalid_input", message = "id is malformed" } },
            inner_error = new { code = "lookup", message = "no such shard" },
        });

        var error = Assert.Single(_shell.Run("Get-KernelDeployment -Id x1").Errors);

        var api = Assert.IsType<KernelApiException>(error.Exception);
        Assert.Equal("Kernel API error 400 (BadRequest): bad_request: bad id (details: invalid_input: id is malformed; inner error: lookup: no such shard)", api.Message);
        Assert.Equal(["invalid_input: id is malformed"], api.Details);
        Assert.Equal("lookup: no such shard", api.InnerError);
    }

    [Fact]
    public async Task An_error_event_on_the_stream_is_shown_with_its_details()
    {
        await FaultAsync(new
        {
            path = "/deployments/*/events", kind = "error_event", after_events = 1, code = "build_error", message = "builder crashed",
            details = new[] { new { code = "oom", message = "out of memory at step 3" } },
            times = 1,
        });

        var error = Assert.Single(_shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait", ("path", RepositoryPaths.Example("page-title"))).Errors);

        Assert.StartsWith("DeploymentStreamError,", error.FullyQualifiedErrorId);
        Assert.Contains("build_error: builder crashed (details: oom: out of memory at step 3)", error.Exception.Message);
    }

    [Fact]
    public async Task A_sync_invocation_waits_for_its_answer_as_long_as_Timeout_says()
    {
        DeployVersion("latest");
        await FaultAsync(new { method = "POST", path = "/invocations", kind = "delay_answer", delay_ms = 5000, times = 1 });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Single(_shell.Run("Invoke-KernelAction page-title health -Timeout 1s").Errors);

        Assert.StartsWith("ApiTimeout,", error.FullyQualifiedErrorId);
        Assert.Contains("within 1 s", error.Exception.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }
}
