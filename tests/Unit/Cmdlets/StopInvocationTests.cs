using System.Management.Automation;
using System.Net.Http.Json;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>Stop-KernelInvocation cancels what still runs and never rewrites a result.</summary>
public sealed class StopInvocationTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;
    private readonly string _project = "stop-" + Guid.NewGuid().ToString("N")[..8];

    public StopInvocationTests(EmulatorFixture emulator)
    {
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        _shell.Run("param($uri, $key, $project) Connect-Kernel -BaseUri $uri -ApiKey $key -ProjectId $project", ("uri", emulator.BaseUri), ("key", emulator.ApiKey), ("project", _project)).ThrowOnError();
        _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();
    }

    public void Dispose()
    {
        _admin.PutAsJsonAsync("settings", new { step_delay_ms = 100, heartbeat_ms = 5000 }).GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _shell.Dispose();
    }

    [Fact]
    public async Task Piping_finished_invocations_to_Stop_leaves_every_result_as_it_was()
    {
        _shell.Run("1..3 | ForEach-Object { Invoke-KernelAction page-title health -Payload @{ n = $_ } } | Out-Null").ThrowOnError();

        var result = _shell.Run("Get-KernelInvocation -AppName page-title | Stop-KernelInvocation -PassThru").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Equal(3, result.Warnings.Count(w => w.Contains("already succeeded") && w.EndsWith("left unchanged.")));
        Assert.Empty(await PatchesAsync());
        var after = _shell.Run("Get-KernelInvocation -AppName page-title").ThrowOnError().Output.Select(o => (KernelInvocation)o.BaseObject).ToList();
        Assert.All(after, i => Assert.Equal("succeeded", i.Status));
        Assert.All(after, i => Assert.Contains("\"payload\"", i.OutputJson));
    }

    [Fact]
    public async Task A_finished_invocation_is_an_error_where_errors_stop_the_script()
    {
        var invocation = _shell.Run("Invoke-KernelAction page-title health").ThrowOnError().Single<KernelInvocation>();

        var stopped = Assert.Throws<ActionPreferenceStopException>(() => _shell.Run("param($id) Stop-KernelInvocation -Id $id -ErrorAction Stop", ("id", invocation.Id)));

        Assert.StartsWith("InvocationAlreadyFinished,", stopped.ErrorRecord.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, stopped.ErrorRecord.CategoryInfo.Category);
        Assert.Empty(await PatchesAsync());
    }

    [Fact]
    public async Task A_running_invocation_is_cancelled_and_its_browsers_deleted()
    {
        using (await _admin.PutAsJsonAsync("settings", new { step_delay_ms = 5000, heartbeat_ms = 5000 }))
        {
        }

        var invocation = _shell.Run("Invoke-KernelAction page-title health -Async").ThrowOnError().Single<KernelInvocation>();

        var stopped = _shell.Run("param($id) Stop-KernelInvocation -Id $id -PassThru", ("id", invocation.Id)).ThrowOnError().Single<KernelInvocation>();

        Assert.Equal("failed", stopped.Status);
        Assert.Contains("Invocation cancelled by user", stopped.OutputJson);
        Assert.Single(await PatchesAsync());
    }

    private async Task<List<JsonElement>> PatchesAsync() =>
        JsonDocument.Parse(await _admin.GetStringAsync("journal")).RootElement.EnumerateArray()
            .Where(e => e.GetProperty("method").GetString() == "PATCH")
            .Where(e => e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == _project)
            .ToList();
}
