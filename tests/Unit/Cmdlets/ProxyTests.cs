using System.Management.Automation;
using System.Net;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// Connect-Kernel -Proxy, -ProxyCredential and -ProxyUseDefaultCredentials, against an authenticating forward proxy
/// on loopback that stands between the session and the emulator.
/// </summary>
[Collection(ConnectionPoolCount.Collection)]
public sealed class ProxyTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly NetworkCredential Alice = new("alice", "s3cret-proxy-password");
    private readonly EmulatorFixture _emulator;
    private readonly ForwardProxy _proxy = new(required: Alice);
    private readonly PowerShellSession _shell = new();

    public ProxyTests(EmulatorFixture emulator) => _emulator = emulator;

    public void Dispose()
    {
        _shell.Dispose();
        _proxy.Dispose();
    }

    private ScriptResult Connect(string extra, NetworkCredential? credential = null) => _shell.Run(
        $"param($uri, $key, $proxy, $credential) Connect-Kernel -BaseUri $uri -ApiKey $key -Proxy $proxy {extra} -PassThru",
        ("uri", _emulator.BaseUri), ("key", _emulator.ApiKey), ("proxy", _proxy.Uri), ("credential", credential == null ? null : new PSCredential(credential.UserName, credential.SecurePassword)));

    [Fact]
    public void A_named_proxy_carries_every_request_the_loopback_emulator_included_and_gets_its_credentials()
    {
        var session = Connect("-ProxyCredential $credential", Alice).ThrowOnError().Single<KernelSession>();

        var deployed = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Wait", ("path", RepositoryPaths.Example("page-title"))).ThrowOnError();

        Assert.Equal("running", Assert.IsType<KernelDeployment>(Assert.Single(deployed.Output).BaseObject).Status);
        Assert.Equal(_proxy.Uri, session.Proxy);
        Assert.Equal("alice", session.ProxyUserName);
        var forwarded = string.Join("\n", _proxy.Forwarded);
        Assert.Contains($"GET {_emulator.BaseUri}deployments?limit=1&offset=0 HTTP/1.1", forwarded);
        Assert.Contains($"POST {_emulator.BaseUri}deployments HTTP/1.1", forwarded);
        Assert.Contains($"POST {_emulator.BaseUri}deployments HTTP/1.1", _proxy.Refused); // challenged, the streamed archive went again whole
        Assert.Contains("/events", forwarded);
    }

    [Fact]
    public void The_session_shows_the_proxy_and_its_user_never_the_password()
    {
        var session = Connect("-ProxyCredential $credential -SkipVerify", Alice).ThrowOnError();

        var shown = _shell.Run("param($s) $s | Format-List * | Out-String -Width 200; $s | Format-Table | Out-String -Width 200; $s | ConvertTo-Json -Depth 3", ("s", session.Output[0])).ThrowOnError();

        Assert.Contains(_proxy.Uri.ToString(), shown.AllText);
        Assert.Contains("alice", shown.AllText);
        Assert.DoesNotContain(Alice.Password, shown.AllText);
    }

    [Fact]
    public void A_proxy_that_wants_credentials_is_one_error_naming_the_proxy_and_the_parameter()
    {
        var result = Connect(string.Empty);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ProxyAuthenticationRequired,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal($"The proxy {_proxy.Uri} answered 407 Proxy Authentication Required: it wants credentials, and none were given. Connect with credentials for the proxy: Connect-Kernel -Proxy {_proxy.Uri} -ProxyCredential (Get-Credential), or -ProxyUseDefaultCredentials for Windows' integrated authentication.", error.ErrorDetails.Message);
        Assert.Contains("-ProxyCredential", error.ErrorDetails.RecommendedAction);
        Assert.Single(_proxy.Refused);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Refused_credentials_are_named_by_their_user_and_not_retried()
    {
        var result = Connect("-ProxyCredential $credential", new NetworkCredential("alice", "wrong"));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ProxyAuthenticationRequired,", error.FullyQualifiedErrorId);
        Assert.Contains($"The proxy {_proxy.Uri} answered 407 Proxy Authentication Required: it refused the credentials of user 'alice'. Check the proxy credentials", error.ErrorDetails.Message);
        Assert.DoesNotContain("wrong", error.ErrorDetails.Message);
        Assert.Equal(2, _proxy.Refused.Count); // the challenge, then the one answer with the credentials: no retries
    }

    [Fact]
    public void A_data_cmdlet_behind_the_proxy_reports_the_same_one_error()
    {
        Connect("-SkipVerify").ThrowOnError();

        var result = _shell.Run("Get-KernelDeployment -First 1");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ProxyAuthenticationRequired,", error.FullyQualifiedErrorId);
        Assert.Contains("-ProxyCredential", error.ErrorDetails.Message);
        Assert.Single(_proxy.Refused);
    }

    [Fact]
    public void Reconnecting_through_the_same_proxy_reuses_its_connection_pool_and_another_setting_adds_one()
    {
        Connect("-ProxyCredential $credential -SkipVerify", Alice).ThrowOnError();
        var pools = ConnectionPools.ProxiedCount;

        for (var i = 0; i < 10; i++)
        {
            Connect("-ProxyCredential $credential -SkipVerify", Alice).ThrowOnError();
        }

        Assert.Equal(pools, ConnectionPools.ProxiedCount);
        Connect("-ProxyCredential $credential -SkipVerify", new NetworkCredential("bob", "other")).ThrowOnError();
        Assert.Equal(pools + 1, ConnectionPools.ProxiedCount);
    }

    [Fact]
    public void Proxy_parameters_that_cannot_work_are_refused_before_anything_is_sent()
    {
        var both = _shell.Run("param($proxy) Connect-Kernel -ApiKey (ConvertTo-SecureString k -AsPlainText -Force) -Proxy $proxy -ProxyCredential ([pscredential]::new('a', (ConvertTo-SecureString p -AsPlainText -Force))) -ProxyUseDefaultCredentials", ("proxy", _proxy.Uri));
        var withPassword = _shell.Run("Connect-Kernel -ApiKey (ConvertTo-SecureString k -AsPlainText -Force) -Proxy http://alice:pw@proxy.example:3128");
        var relative = _shell.Run("Connect-Kernel -ApiKey (ConvertTo-SecureString k -AsPlainText -Force) -Proxy proxy.example");

        Assert.StartsWith("ConflictingParameters,", Assert.Single(both.Errors).FullyQualifiedErrorId);
        var carried = Assert.Single(withPassword.Errors);
        Assert.StartsWith("InvalidProxy,", carried.FullyQualifiedErrorId);
        Assert.Contains("-ProxyCredential", carried.Exception.Message);
        Assert.DoesNotContain("pw", carried.Exception.Message + carried.TargetObject);
        Assert.StartsWith("InvalidProxy,", Assert.Single(relative.Errors).FullyQualifiedErrorId);
        Assert.Empty(_proxy.Forwarded);
        Assert.Empty(_proxy.Refused);
    }
}
