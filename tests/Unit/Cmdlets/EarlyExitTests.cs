using System.Management.Automation;
using System.Net.Http.Json;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// A pipeline left early (Select-Object -First, a Write* that throws) takes its work with it: no stream stays
/// connected, no poll goes on. Long-lived hosts (VS Code, a runbook worker) would otherwise collect them.
/// </summary>
public sealed class EarlyExitTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;

    public EarlyExitTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
    }

    public void Dispose()
    {
        _admin.DeleteAsync("faults").GetAwaiter().GetResult().Dispose();
        _admin.PutAsJsonAsync("settings", new { step_delay_ms = 100, heartbeat_ms = 5000 }).GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _shell.Dispose();
    }

    [Fact]
    public async Task Taking_the_first_log_line_of_a_followed_log_closes_its_event_stream()
    {
        var deployment = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Force -Wait", ("path", RepositoryPaths.Example("page-title")))
            .ThrowOnError().Single<KernelDeployment>();
        using var counter = new ConnectionCounter(passThroughTo: _emulator.BaseUri);
        using var viaCounter = new PowerShellSession();
        viaCounter.Run("param($uri, $key) Connect-Kernel -BaseUri $uri -ApiKey $key -SkipVerify", ("uri", counter.BaseUri), ("key", _emulator.ApiKey)).ThrowOnError();

        for (var i = 0; i < 3; i++)
        {
            var first = viaCounter.Run("param($id) Get-KernelDeploymentLog -Id $id -Follow | Select-Object -First 1", ("id", deployment.Id)).ThrowOnError();
            Assert.IsType<KernelLogEntry>(Assert.Single(first.Output).BaseObject);
        }

        Assert.Equal(3, counter.Count);
        Assert.Equal(0, await counter.OpenAfterAsync(0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_warning_turned_into_a_stop_ends_the_polling_behind_it()
    {
        using (await _admin.PutAsJsonAsync("settings", new { step_delay_ms = 20000, heartbeat_ms = 5000 }))
        {
        }

        var deployment = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", RepositoryPaths.Example("page-title")))
            .ThrowOnError().Single<KernelDeployment>();
        using (await _admin.PostAsJsonAsync("faults", new { path = "/deployments/*/events", kind = "cut_stream", after_events = 0, times = 0 }))
        {
        }

        Assert.Throws<ActionPreferenceStopException>(() => _shell.Run("param($id) Wait-KernelDeployment -Id $id -WarningAction Stop", ("id", deployment.Id)));

        var polls = await CountAsync("GET", "/deployments/" + deployment.Id);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(polls, await CountAsync("GET", "/deployments/" + deployment.Id));
    }

    private async Task<int> CountAsync(string method, string path) =>
        JsonDocument.Parse(await _admin.GetStringAsync("journal")).RootElement.EnumerateArray()
            .Count(e => e.GetProperty("method").GetString() == method && e.GetProperty("path").GetString() == path);
}
