using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>Bad input and -WhatIf are answered locally: the server never sees a single connection.</summary>
public sealed class RefusedBeforeUploadTests : IDisposable
{
    private readonly ConnectionCounter _server = new();
    private readonly PowerShellSession _shell = new();

    public RefusedBeforeUploadTests() =>
        _shell.Run("param($uri) Connect-Kernel -BaseUri $uri -ApiKey (ConvertTo-SecureString 'sk_test' -AsPlainText -Force) -SkipVerify", ("uri", _server.BaseUri)).ThrowOnError();

    public void Dispose()
    {
        _shell.Dispose();
        _server.Dispose();
    }

    private ErrorRecord RefusedError(string script, params (string, object?)[] parameters)
    {
        var result = _shell.Run(script, parameters);
        Assert.Equal(0, _server.Count);
        Assert.Empty(result.Output);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void WhatIf_makes_no_request_and_describes_the_deploy()
    {
        var result = _shell.Run(
            "param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -WhatIf -Force",
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Equal(0, _server.Count);
    }

    [Fact]
    public void WhatIf_inherited_from_a_calling_function_makes_no_request()
    {
        _shell.Run(
            """
            param($path)
            function Publish-App { [CmdletBinding(SupportsShouldProcess)] param($p) New-KernelDeployment -Path $p -EntrypointRelPath main.py -Force }
            Publish-App -p $path -WhatIf
            """,
            ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Equal(0, _server.Count);
    }

    [Theory]
    [InlineData("Remove-KernelDeployment -Id d1 -Confirm:$false")]
    [InlineData("Remove-KernelDeployment -Id d1 -Force")]
    [InlineData("Invoke-KernelAction -AppName shop -ActionName buy")]
    [InlineData("Stop-KernelInvocation -Id i1")]
    [InlineData("New-KernelDeployment -GitHubUrl https://github.com/acme/app -Ref main -Entrypoint index.ts -Force")]
    [InlineData("New-KernelBrowser -Name b -Profile p -SaveProfileChanges -Proxy x")]
    [InlineData("Set-KernelBrowser -Id b -NewName c")]
    [InlineData("Remove-KernelBrowser -Id b")]
    [InlineData("Remove-KernelBrowser -Id b -Force")]
    [InlineData("Start-KernelBrowserReplay -Browser b")]
    [InlineData("Stop-KernelBrowserReplay -Browser b")]
    [InlineData("Save-KernelBrowserReplay -Browser b -ReplayId r -Destination (Join-Path ([IO.Path]::GetTempPath()) \"whatif-$([guid]::NewGuid()).mp4\")")]
    [InlineData("New-KernelProfile p")]
    [InlineData("Rename-KernelProfile -Id p -NewName q")]
    [InlineData("Remove-KernelProfile -Id p -Force")]
    [InlineData("Save-KernelProfile -Id p -Destination (Join-Path ([IO.Path]::GetTempPath()) \"whatif-$([guid]::NewGuid()).tar.zst\")")]
    [InlineData("New-KernelProxy custom -HostName h -Port 1 -UserName u -Password (ConvertTo-SecureString pw -AsPlainText -Force)")]
    [InlineData("Set-KernelProxy -Id x -NewName y")]
    [InlineData("Remove-KernelProxy -Id x -Force")]
    public void WhatIf_inherited_by_any_changing_command_sends_nothing(string command)
    {
        _shell.Run(
            "function Invoke-Change { [CmdletBinding(SupportsShouldProcess)] param() " + command + " }\nInvoke-Change -WhatIf").ThrowOnError();

        Assert.Equal(0, _server.Count);
    }

    [Fact]
    public void A_missing_entrypoint_is_refused_before_upload()
    {
        var error = RefusedError("param($path) New-KernelDeployment -Path $path -EntrypointRelPath app.py", ("path", RepositoryPaths.Example("page-title")));

        Assert.StartsWith("EntrypointNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.EndsWith("app.py", (string)error.TargetObject);
    }

    [Fact]
    public void An_entrypoint_that_climbs_out_of_the_folder_is_refused_before_upload()
    {
        var error = RefusedError("param($path) New-KernelDeployment -Path $path -EntrypointRelPath ../main.py", ("path", RepositoryPaths.Example("page-title")));

        Assert.StartsWith("EntrypointInvalid,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void An_entrypoint_excluded_by_gitignore_is_refused_before_upload()
    {
        using var app = new TempFolder().With(".gitignore", "*.py\n").With("README.md").With("main.py");

        var error = RefusedError("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py", ("path", app.Path));

        Assert.StartsWith("EntrypointExcluded,", error.FullyQualifiedErrorId);
        Assert.Contains("'*.py' in .gitignore", error.Exception.Message);
    }

    [Fact]
    public void A_missing_folder_is_refused()
    {
        var error = RefusedError("New-KernelDeployment -Path ./no/such/folder -EntrypointRelPath main.py");

        Assert.StartsWith("PathNotFound,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void A_file_instead_of_a_folder_is_refused()
    {
        var error = RefusedError("param($path) New-KernelDeployment -LiteralPath $path -EntrypointRelPath main.py", ("path", Path.Combine(RepositoryPaths.Example("page-title"), "main.py")));

        Assert.StartsWith("NotAFolder,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void A_path_on_another_provider_is_refused()
    {
        var error = RefusedError("New-KernelDeployment -Path Env:\\PATH -EntrypointRelPath main.py");

        Assert.StartsWith("NotFileSystemPath,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void An_invalid_env_var_name_is_refused_before_upload()
    {
        var error = RefusedError("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -EnvVars @{ 'BAD-NAME' = 1 }", ("path", RepositoryPaths.Example("page-title")));

        Assert.StartsWith("InvalidEnvVarName,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void LiteralArchivePath_takes_a_name_with_wildcard_characters_as_it_is()
    {
        using var folder = new TempFolder();
        var zip = Path.Combine(folder.Path, "app[1].zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(RepositoryPaths.Example("page-title"), zip);

        var literal = _shell.Run("param($zip) New-KernelDeployment -LiteralArchivePath $zip -EntrypointRelPath main.py -WhatIf", ("zip", zip));
        var wildcard = _shell.Run("param($zip) New-KernelDeployment -ArchivePath $zip -EntrypointRelPath main.py -WhatIf", ("zip", zip));

        Assert.Empty(literal.Errors);
        Assert.Single(wildcard.Errors);
        Assert.Equal(0, _server.Count);
    }
}
