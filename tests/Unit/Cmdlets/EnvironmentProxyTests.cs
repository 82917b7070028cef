using System.Net;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// Without -Proxy, the proxy the environment names (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) is used as .NET reads it,
/// except for a loopback endpoint, which is always reached directly. .NET reads these variables once per process,
/// so each test runs a new pwsh; kernel.test stands for a remote API that only the proxy (routing everything to the
/// emulator) can reach.
/// </summary>
public sealed class EnvironmentProxyTests : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly EmulatorFixture _emulator;

    public EnvironmentProxyTests(EmulatorFixture emulator) => _emulator = emulator;

    /// <summary>A script that connects to each endpoint in turn and prints one line each: "uri ok" or "uri ErrorId: message".</summary>
    private static string ConnectEach(string extra = "") => $$"""
        Import-Module $env:KERNEL_TEST_MODULE
        $key = ConvertTo-SecureString $env:KERNEL_TEST_KEY -AsPlainText -Force
        foreach ($uri in $env:KERNEL_TEST_ENDPOINTS -split ' ') {
            try {
                Connect-Kernel -BaseUri $uri -ApiKey $key -AllowInsecureHttp -VerifyTimeout 20s -MaxRetries 0 {{extra}} -ErrorAction Stop
                "$uri ok"
            }
            catch { "$uri $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.ErrorDetails.Message ?? $_.Exception.Message)" }
        }
        """;

    private Dictionary<string, string?> Environment(string endpoints, params (string Name, string? Value)[] proxies)
    {
        var environment = new Dictionary<string, string?>
        {
            ["KERNEL_TEST_MODULE"] = FreshPwsh.Module,
            ["KERNEL_TEST_KEY"] = _emulator.ApiKeyText,
            ["KERNEL_TEST_ENDPOINTS"] = endpoints,
            ["KERNEL_API_KEY"] = null,
            ["KERNEL_PROJECT"] = null,
        };
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy" })
        {
            environment[name] = null;
        }

        foreach (var (name, value) in proxies)
        {
            environment[name] = value;
        }

        return environment;
    }

    [Fact]
    public async Task HTTP_PROXY_carries_a_remote_endpoint_while_the_loopback_emulator_is_reached_directly()
    {
        using var proxy = new ForwardProxy(routeTo: _emulator.BaseUri);
        var remote = $"http://kernel.test:{_emulator.BaseUri.Port}/";

        var lines = await FreshPwsh.RunAsync(ConnectEach(), Environment($"{remote} {_emulator.BaseUri}", ("HTTP_PROXY", proxy.Uri.ToString())), Bound);

        Assert.Equal([$"{remote} ok", $"{_emulator.BaseUri} ok"], lines);
        Assert.Contains($"GET {remote}deployments?limit=1&offset=0 HTTP/1.1", proxy.Forwarded);
        Assert.DoesNotContain(proxy.Forwarded, line => line.Contains("127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NO_PROXY_sends_the_hosts_it_names_directly()
    {
        using var proxy = new ForwardProxy(routeTo: _emulator.BaseUri);
        var remote = $"http://kernel.test:{_emulator.BaseUri.Port}/";

        var lines = await FreshPwsh.RunAsync(ConnectEach(), Environment(remote, ("HTTP_PROXY", proxy.Uri.ToString()), ("NO_PROXY", "example.com,kernel.test")), Bound);

        Assert.StartsWith($"{remote} VerifyFailed: Cannot connect to {remote}", Assert.Single(lines));
        Assert.Empty(proxy.Forwarded);
    }

    [Fact]
    public async Task A_proxy_from_the_environment_that_wants_credentials_is_named_in_the_one_error_and_ProxyCredential_alone_answers_it()
    {
        var alice = new NetworkCredential("alice", "env-proxy-password");
        using var proxy = new ForwardProxy(required: alice, routeTo: _emulator.BaseUri);
        var remote = $"http://kernel.test:{_emulator.BaseUri.Port}/";
        var tunnelled = "https://kernel.test/";
        var environment = Environment($"{remote} {tunnelled}", ("HTTP_PROXY", proxy.Uri.ToString()), ("HTTPS_PROXY", proxy.Uri.ToString()));

        var without = await FreshPwsh.RunAsync(ConnectEach(), environment, Bound);
        environment["KERNEL_TEST_PROXY_PASSWORD"] = alice.Password;
        var with = await FreshPwsh.RunAsync(ConnectEach("-ProxyCredential ([pscredential]::new('alice', (ConvertTo-SecureString $env:KERNEL_TEST_PROXY_PASSWORD -AsPlainText -Force)))"), environment, Bound);

        var wants = $"ProxyAuthenticationRequired: The proxy {proxy.Uri} answered 407 Proxy Authentication Required: it wants credentials, and none were given. Connect with credentials for the proxy: Connect-Kernel -Proxy {proxy.Uri} -ProxyCredential (Get-Credential)";
        Assert.Equal(2, without.Length);
        Assert.StartsWith($"{remote} {wants}", without[0]);
        Assert.StartsWith($"{tunnelled} {wants}", without[1]);
        Assert.Contains("CONNECT kernel.test:443 HTTP/1.1", proxy.Refused);
        Assert.Equal($"{remote} ok", with[0]);
    }
}
