using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// The deploy side's names and paging on the same rails as the browsers': a literal -Name/-AppName that matches
/// nothing is one ObjectNotFound error naming it, wildcards match over every page, and -First/-Skip mean
/// something with -Id.
/// </summary>
public sealed class NameAndPagingTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly PowerShellSession _shell = new();

    public NameAndPagingTests(EmulatorFixture emulator)
    {
        _shell.ConnectInOwnProject(emulator);
        _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait | Out-Null; Invoke-KernelAction page-title health | Out-Null",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();
    }

    public void Dispose() => _shell.Dispose();

    [Theory]
    [InlineData("Get-KernelApp -Name shop", "No app is named 'shop'.")]
    [InlineData("Get-KernelDeployment -AppName shop", "No deployment of an app named 'shop'.")]
    [InlineData("Get-KernelInvocation -AppName shop", "No invocation of an app named 'shop'.")]
    public void A_literal_app_name_that_matches_nothing_is_one_object_not_found_error_naming_it(string command, string message)
    {
        var result = _shell.Run(command);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("NameNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("shop", error.TargetObject);
        Assert.Equal(message, error.Exception.Message);
        Assert.Empty(_shell.Run(command.Replace("shop", "shop*")).ThrowOnError().Output);
    }

    [Theory]
    [InlineData("Get-KernelApp -Name page-*")]
    [InlineData("Get-KernelDeployment -AppName *-title")]
    [InlineData("Get-KernelInvocation -AppName page-t?tle")]
    public void App_names_take_wildcards(string command) =>
        Assert.Single(_shell.Run(command).ThrowOnError().Output);

    [Theory]
    [InlineData("Get-KernelInvocation -AppName page-title -Status running")]
    [InlineData("Get-KernelDeployment -AppName page-title -AppVersion 9.9")]
    [InlineData("Get-KernelBrowser -Name ghost -Status Deleted")]
    public void A_name_that_exists_but_matches_no_other_filter_is_no_error(string command)
    {
        _shell.Run("New-KernelBrowser -Name ghost").ThrowOnError();

        Assert.Empty(_shell.Run(command).ThrowOnError().Output);
    }

    [Fact]
    public void First_and_Skip_pick_from_the_ids_given_to_the_deploy_cmdlets()
    {
        var deployment = _shell.Run("(Get-KernelDeployment -First 1).Id").ThrowOnError().Output.Single().ToString();
        var invocation = _shell.Run("(Get-KernelInvocation -First 1).Id").ThrowOnError().Output.Single().ToString();

        var deployments = _shell.Run($"Get-KernelDeployment -Id nosuch, {deployment} -Skip 1 -First 1").ThrowOnError();
        var invocations = _shell.Run($"Get-KernelInvocation -Id {invocation}, {invocation}, {invocation} -First 2").ThrowOnError();

        Assert.Equal(deployment, deployments.Single<KernelDeployment>().Id);
        Assert.Equal(2, invocations.Output.Count);
    }

    [Fact]
    public void An_unknown_id_names_it_in_the_message()
    {
        var error = Assert.Single(_shell.Run("Get-KernelInvocation -Id nosuch").Errors);

        Assert.StartsWith("ApiNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("Invocation 'nosuch' was not found.", error.Exception.Message);
    }
}
