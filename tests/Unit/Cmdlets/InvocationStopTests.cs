using System.Diagnostics;
using System.Management.Automation;
using System.Net.Http.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>Ctrl+C during an invocation wait, in a host that cannot ask: the wait ends, the invocation runs on.</summary>
public sealed class InvocationStopTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;

    public InvocationStopTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _shell.Dispose();
    }

    [Fact]
    public async Task Stopping_a_wait_leaves_the_invocation_running_on_Kernel()
    {
        _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();
        using (await _admin.PutAsJsonAsync("settings", new { step_delay_ms = 5000, heartbeat_ms = 5000 }))
        {
        }

        try
        {
            var invocation = _shell.Run("Invoke-KernelAction page-title health -Async").ThrowOnError().Single<KernelInvocation>();
            using var wait = _shell.Start("param($id) Wait-KernelInvocation -Id $id", ("id", invocation.Id));
            var running = wait.BeginInvoke();
            await Task.Delay(500);

            var clock = Stopwatch.StartNew();
            wait.Stop();

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, wait.InvocationStateInfo.State);
            Assert.True(running.IsCompleted);
            var after = _shell.Run("param($id) Get-KernelInvocation -Id $id", ("id", invocation.Id)).ThrowOnError().Single<KernelInvocation>();
            Assert.NotEqual("failed", after.Status);
        }
        finally
        {
            using (await _admin.PutAsJsonAsync("settings", new { step_delay_ms = 100, heartbeat_ms = 5000 }))
            {
            }
        }
    }
}
