using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>An app version piped to a deployment cmdlet means the deployment serving it, never its own id.</summary>
public sealed class AppPipingTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();
    private readonly KernelDeployment _deployment;

    public AppPipingTests(EmulatorFixture emulator)
    {
        _shell.Run(
            "param($uri, $key) Connect-Kernel -BaseUri $uri -ApiKey $key -ProjectId ('pipe-' + [guid]::NewGuid().ToString('N').Substring(0, 8))",
            ("uri", emulator.BaseUri), ("key", emulator.ApiKey)).ThrowOnError();
        _deployment = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Version 1.0 -Wait", ("path", RepositoryPaths.Example("page-title")))
            .ThrowOnError().Single<KernelDeployment>();
    }

    public void Dispose() => _shell.Dispose();

    [Fact]
    public void Get_KernelDeployment_gets_the_deployment_of_a_piped_app_version()
    {
        var got = _shell.Run("Get-KernelApp -Name page-title | Get-KernelDeployment").ThrowOnError().Single<KernelDeployment>();

        Assert.Equal(_deployment.Id, got.Id);
    }

    [Fact]
    public void Wait_KernelDeployment_follows_the_deployment_of_a_piped_app_version()
    {
        var waited = _shell.Run("Get-KernelApp -Name page-title | Wait-KernelDeployment -Timeout 30").ThrowOnError().Single<KernelDeployment>();

        Assert.Equal(_deployment.Id, waited.Id);
        Assert.Equal("running", waited.Status);
    }

    [Fact]
    public void Get_KernelDeploymentLog_reads_the_log_of_the_deployment_of_a_piped_app_version()
    {
        var result = _shell.Run("Get-KernelApp -Name page-title | Get-KernelDeploymentLog -QuietPeriod 0.5").ThrowOnError();

        Assert.NotEmpty(result.Output);
        Assert.All(result.Output, o => Assert.Equal(_deployment.Id, Assert.IsType<KernelLogEntry>(o.BaseObject).DeploymentId));
    }

    [Fact]
    public void Remove_KernelDeployment_removes_the_deployment_of_a_piped_app_version()
    {
        _shell.Run("Get-KernelApp -Name page-title | Remove-KernelDeployment -Confirm:$false").ThrowOnError();

        var after = _shell.Run("param($id) Get-KernelDeployment -Id $id", ("id", _deployment.Id)).ThrowOnError().Single<KernelDeployment>();
        Assert.Equal("stopped", after.Status);
        Assert.StartsWith("NameNotFound,", Assert.Single(_shell.Run("Get-KernelApp -Name page-title").Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Remove_KernelDeployment_Force_removes_without_asking()
    {
        var other = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Version 2.0 -Wait", ("path", RepositoryPaths.Example("page-title")))
            .ThrowOnError().Single<KernelDeployment>();

        _shell.Run("param($id) Remove-KernelDeployment -Id $id -Force", ("id", other.Id)).ThrowOnError();

        Assert.Equal("stopped", _shell.Run("param($id) Get-KernelDeployment -Id $id", ("id", other.Id)).ThrowOnError().Single<KernelDeployment>().Status);
    }
}
