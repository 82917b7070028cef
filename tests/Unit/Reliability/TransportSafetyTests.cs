using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Reliability;

/// <summary>Input refused before anything is sent: clear-text keys, secret-looking files.</summary>
public sealed class TransportSafetyTests : IDisposable
{
    private readonly ConnectionCounter _server = new();
    private readonly PowerShellSession _shell = new();

    public TransportSafetyTests() =>
        _shell.Run("param($uri) Connect-Kernel -BaseUri $uri -ApiKey (ConvertTo-SecureString 'sk_test' -AsPlainText -Force) -SkipVerify", ("uri", _server.BaseUri)).ThrowOnError();

    public void Dispose()
    {
        _shell.Dispose();
        _server.Dispose();
    }

    [Fact]
    public void Plain_http_to_a_host_that_is_not_loopback_is_refused()
    {
        var result = _shell.Run("Connect-Kernel -BaseUri http://kernel.example.test/ -ApiKey (ConvertTo-SecureString 'sk_x' -AsPlainText -Force) -SkipVerify");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InsecureHttp,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("-AllowInsecureHttp", error.Exception.Message);
    }

    [Fact]
    public void Plain_http_is_allowed_when_asked_for()
    {
        var session = _shell.Run("Connect-Kernel -BaseUri http://kernel.example.test/ -ApiKey (ConvertTo-SecureString 'sk_x' -AsPlainText -Force) -SkipVerify -AllowInsecureHttp -PassThru").ThrowOnError().Single<KernelSession>();

        Assert.Equal("http", session.BaseUri.Scheme);
    }

    [Fact]
    public void Files_that_look_like_secrets_are_named_before_upload_even_under_WhatIf()
    {
        using var app = new TempFolder()
            .With("main.py")
            .With(".env", "TOKEN=1")
            .With(".env.example", "TOKEN=")
            .With("certs/server.key")
            .With("keys/id_ed25519")
            .With("keys/id_ed25519.pub")
            .With(".npmrc", "//registry.example/:_authToken=abc")
            .With(".git/config")
            .With(".git/HEAD");

        var result = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -WhatIf", ("path", app.Path)).ThrowOnError();

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(
            "About to upload 5 file(s) that look like secrets: .env, .npmrc, certs/server.key, keys/id_ed25519, .git/ (2 files). If they should stay on this machine, list them in .gitignore or .ignore.",
            warning);
        Assert.Equal(0, _server.Count);
    }
}
