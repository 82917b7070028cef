using System.Diagnostics;
using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>Waiting on a deployment that takes its time: -Timeout and Ctrl+C.</summary>
public sealed class SlowDeploymentTests : IClassFixture<SlowEmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();

    public SlowDeploymentTests(SlowEmulatorFixture emulator) => _shell.Connect(emulator.BaseUri, emulator.ApiKey);

    public void Dispose() => _shell.Dispose();

    [Fact]
    public void Timeout_gives_an_operation_timeout_error_that_says_how_to_wait_again()
    {
        var clock = Stopwatch.StartNew();
        var result = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py | Wait-KernelDeployment -Timeout 1",
            ("path", RepositoryPaths.Example("page-title")));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("DeploymentWaitTimeout,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("Wait-KernelDeployment -Id", error.Exception.Message);
        Assert.Contains("status: queued", error.Exception.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Stopping_a_wait_ends_it_promptly()
    {
        var deployment = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", RepositoryPaths.Example("page-title")))
            .ThrowOnError().Single<KernelDeployment>();
        using var shell = _shell.Start("param($id) Wait-KernelDeployment -Id $id", ("id", deployment.Id));
        var following = Signals.FirstProgress(shell);
        var running = shell.BeginInvoke();
        await following.Within(TimeSpan.FromSeconds(20), "the wait follows the deployment's events");

        var clock = Stopwatch.StartNew();
        shell.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.True(running.IsCompleted);
    }
}
