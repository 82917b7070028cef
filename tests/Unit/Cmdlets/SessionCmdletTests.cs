using System.Management.Automation;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>Connect-, Get- and Disconnect-Kernel, and how data cmdlets find their session.</summary>
[Collection(ProcessEnvironment.Collection)]
public sealed class SessionCmdletTests : IDisposable
{
    private readonly PowerShellSession _shell = new();

    public void Dispose() => _shell.Dispose();

    [Fact]
    public void Connect_outputs_nothing_unless_asked_to_pass_the_session_through()
    {
        var quiet = _shell.Run("Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_a' -AsPlainText -Force) -BaseUri http://127.0.0.1:9/ -SkipVerify").ThrowOnError();
        var loud = _shell.Run("Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_a' -AsPlainText -Force) -BaseUri http://127.0.0.1:9/ -SkipVerify -PassThru").ThrowOnError();

        Assert.Empty(quiet.Output);
        var session = loud.Single<KernelSession>();
        Assert.Equal(new Uri("http://127.0.0.1:9/"), session.BaseUri);
        Assert.Equal("-ApiKey parameter", session.ApiKeySource);
    }

    [Fact]
    public void A_credential_password_is_taken_as_the_key_and_the_project_is_kept()
    {
        var session = _shell.Run(
            """
            $credential = [pscredential]::new('ignored', (ConvertTo-SecureString 'sk_cred' -AsPlainText -Force))
            Connect-Kernel -Credential $credential -BaseUri https://kernel.example.test/api -ProjectId proj_123 -PassThru -SkipVerify
            """).ThrowOnError().Single<KernelSession>();

        Assert.Equal("-Credential parameter", session.ApiKeySource);
        Assert.Equal("proj_123", session.ProjectId);
        Assert.Equal(new Uri("https://kernel.example.test/api/"), session.BaseUri);
    }

    [Fact]
    public void Get_KernelSession_shows_the_default_and_Disconnect_forgets_it()
    {
        var result = _shell.Run(
            """
            Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_a' -AsPlainText -Force) -BaseUri http://127.0.0.1:9/ -SkipVerify
            $before = Get-KernelSession
            Disconnect-Kernel
            [pscustomobject]@{ Before = $before; After = @(Get-KernelSession).Count; Closed = $before.IsClosed }
            """).ThrowOnError();

        var summary = Assert.Single(result.Output);
        Assert.IsType<KernelSession>(((PSObject)summary.Properties["Before"].Value).BaseObject);
        Assert.Equal(0, summary.Properties["After"].Value);
        Assert.Equal(true, summary.Properties["Closed"].Value);
    }

    [Fact]
    public void Without_a_session_data_cmdlets_say_to_run_Connect_Kernel()
    {
        var result = _shell.Run("$env:KERNEL_API_KEY = $null; Get-KernelDeployment -Id d1");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId);
        Assert.Contains("Connect-Kernel", error.Exception.Message);
    }

    [Fact]
    public void Connect_reports_an_unreachable_host_as_one_actionable_line_and_keeps_no_session()
    {
        var result = _shell.Run("Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_a' -AsPlainText -Force) -BaseUri http://127.0.0.1:9/; Get-KernelSession");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("VerifyFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Matches("^Cannot connect to http://127.0.0.1:9/: .*Check -BaseUri .*-SkipVerify.*$", error.Exception.Message);
        Assert.DoesNotContain("\n", error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_non_http_base_uri_is_refused()
    {
        var result = _shell.Run("Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_a' -AsPlainText -Force) -BaseUri ftp://example.test/");

        Assert.StartsWith("InvalidBaseUri,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Default_sessions_belong_to_their_runspace()
    {
        using var other = new PowerShellSession();
        _shell.Run("Connect-Kernel -ApiKey (ConvertTo-SecureString 'sk_a' -AsPlainText -Force) -BaseUri http://127.0.0.1:9/ -SkipVerify").ThrowOnError();

        Assert.Empty(other.Run("Get-KernelSession").ThrowOnError().Output);
    }
}
