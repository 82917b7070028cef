using System.Diagnostics;
using System.Management.Automation;
using System.Net.Http.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// Ctrl+C during an invocation wait ends the wait at once and asks nothing: the invocation runs on, unless
/// -CancelOnStop said to cancel it on Kernel too.
/// </summary>
public sealed class InvocationStopTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;

    public InvocationStopTests(EmulatorFixture emulator)
    {
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
        _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Force -Wait", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();
        _admin.PutAsJsonAsync("settings", new { step_delay_ms = 5000, heartbeat_ms = 5000 }).GetAwaiter().GetResult().Dispose();
    }

    public void Dispose()
    {
        _admin.PutAsJsonAsync("settings", new { step_delay_ms = 100, heartbeat_ms = 5000 }).GetAwaiter().GetResult().Dispose();
        _admin.Dispose();
        _shell.Dispose();
    }

    [Fact]
    public async Task Stopping_a_wait_leaves_the_invocation_running_on_Kernel()
    {
        var invocation = _shell.Run("Invoke-KernelAction page-title health -Async").ThrowOnError().Single<KernelInvocation>();

        await StopWithinAsync("param($id) Wait-KernelInvocation -Id $id", invocation.Id, TimeSpan.FromSeconds(1));

        Assert.NotEqual("failed", Reread(invocation.Id).Status);
    }

    [Fact]
    public async Task Stopping_a_wait_with_CancelOnStop_cancels_the_invocation_on_Kernel()
    {
        var invocation = _shell.Run("Invoke-KernelAction page-title health -Async").ThrowOnError().Single<KernelInvocation>();

        // Asked to cancel on the way out, the stop sends the cancel first: bounded to 10 s, as its help says.
        await StopWithinAsync("param($id) Wait-KernelInvocation -Id $id -CancelOnStop", invocation.Id, TimeSpan.FromSeconds(10));

        var after = Reread(invocation.Id);
        Assert.Equal("failed", after.Status);
        Assert.Contains("Invocation cancelled by user", after.OutputJson);
    }

    [Fact]
    public async Task Invoke_Async_Wait_with_CancelOnStop_cancels_its_invocation_on_Kernel()
    {
        using var wait = _shell.Start("Invoke-KernelAction page-title health -Async -Wait -CancelOnStop");
        var following = Signals.FirstProgress(wait);
        var running = wait.BeginInvoke();
        await following.Within(TimeSpan.FromSeconds(20), "the invocation is being followed");

        wait.Stop();

        Assert.True(running.IsCompleted);
        var invocations = _shell.Run("Get-KernelInvocation -AppName page-title -First 1").ThrowOnError().Single<KernelInvocation>();
        Assert.Equal("failed", invocations.Status);
    }

    [Fact]
    public void CancelOnStop_goes_with_Async_Wait()
    {
        var error = Assert.Single(_shell.Run("Invoke-KernelAction page-title health -CancelOnStop").Errors);

        Assert.StartsWith("AsyncOnly,", error.FullyQualifiedErrorId);
    }

    private async Task StopWithinAsync(string script, string id, TimeSpan bound)
    {
        using var wait = _shell.Start(script, ("id", id));
        var following = Signals.FirstProgress(wait);
        var running = wait.BeginInvoke();
        await following.Within(TimeSpan.FromSeconds(20), "the wait follows the invocation's events");

        var clock = Stopwatch.StartNew();
        wait.Stop();

        Assert.True(clock.Elapsed < bound, $"Stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, wait.InvocationStateInfo.State);
        Assert.True(running.IsCompleted);
    }

    private KernelInvocation Reread(string id) =>
        _shell.Run("param($id) Get-KernelInvocation -Id $id", ("id", id)).ThrowOnError().Single<KernelInvocation>();
}
