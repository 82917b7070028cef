using System.Net;
using System.Net.Http;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>
/// How a session reaches the API, decided by the module's own proxy objects rather than WebProxy, whose loopback
/// rule differs between .NET Framework (Windows PowerShell 5.1: never proxied) and .NET (proxied): checked here
/// where it can be, as the handler each kind of session gets.
/// </summary>
[Collection(ConnectionPoolCount.Collection)]
public class ConnectionPoolTests
{
    private static readonly Uri Loopback = new("http://127.0.0.1:4000/");
    private static readonly Uri Remote = new("https://api.onkernel.com/");
    private static readonly Uri ProxyAddress = new("http://proxy.example:3128/");

    [Fact]
    public void Without_a_named_proxy_a_loopback_endpoint_gets_a_pool_that_uses_no_proxy_at_all()
    {
        var handler = Assert.IsType<HttpClientHandler>(ConnectionPools.For(Loopback, ProxySettings.System));

        Assert.False(handler.UseProxy);
        Assert.Same(handler, ConnectionPools.For(new Uri("http://localhost:5000/"), new ProxySettings(null, new NetworkCredential("a", "b"), false)));
        Assert.Null(ConnectionPools.ProxyFor(Loopback, ProxySettings.System));
    }

    [Fact]
    public void A_named_proxy_carries_loopback_too_and_offers_the_given_credentials()
    {
        var credential = new NetworkCredential("alice", "pw", "CORP");
        var handler = Assert.IsType<HttpClientHandler>(ConnectionPools.For(Loopback, new ProxySettings(ProxyAddress, credential, false)));

        Assert.True(handler.UseProxy);
        Assert.False(handler.Proxy!.IsBypassed(Loopback));
        Assert.Equal(ProxyAddress, handler.Proxy.GetProxy(Loopback));
        Assert.Same(credential, handler.Proxy.Credentials);
        Assert.Equal(ProxyAddress, ConnectionPools.ProxyFor(Loopback, new ProxySettings(ProxyAddress, null, false)));
    }

    [Fact]
    public void Default_credentials_are_the_current_users_and_never_change_the_process_wide_proxy()
    {
        var before = WebRequest.DefaultWebProxy?.Credentials;
        var handler = Assert.IsType<HttpClientHandler>(ConnectionPools.For(Remote, new ProxySettings(null, null, useDefaultCredentials: true)));

        Assert.Same(CredentialCache.DefaultCredentials, handler.Proxy!.Credentials);
        Assert.Equal(WebRequest.DefaultWebProxy is not { } system || system.IsBypassed(Remote), handler.Proxy.IsBypassed(Remote));
        Assert.Same(before, WebRequest.DefaultWebProxy?.Credentials);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("https://api.onkernel.com/", true)]
    [InlineData("http://proxy.example:3128/", false)]
    public void With_credentials_but_no_named_proxy_every_way_the_system_says_direct_goes_direct(string? systemAnswer, bool direct)
    {
        // .NET's Windows system proxy answers a bypass rule with a null address and IsBypassed false; .NET Framework
        // answers with the destination. .NET sends to whatever GetProxy returns unless IsBypassed is true.
        var saved = WebRequest.DefaultWebProxy;
        WebRequest.DefaultWebProxy = new AnsweringProxy(systemAnswer == null ? null : new Uri(systemAnswer));
        try
        {
            var handler = Assert.IsType<HttpClientHandler>(ConnectionPools.For(Remote, new ProxySettings(null, new NetworkCredential("bypass-user", "pw"), false)));

            Assert.Equal(direct, handler.Proxy!.IsBypassed(Remote));
            Assert.Equal(direct ? null : new Uri(systemAnswer!), ConnectionPools.ProxyFor(Remote, ProxySettings.System));
            if (!direct)
            {
                Assert.Equal(new Uri(systemAnswer!), handler.Proxy.GetProxy(Remote));
            }
        }
        finally
        {
            WebRequest.DefaultWebProxy = saved;
        }
    }

    /// <summary>A system proxy that never says IsBypassed and answers every destination with one address.</summary>
    private sealed class AnsweringProxy(Uri? answer) : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri? GetProxy(Uri destination) => answer;

        public bool IsBypassed(Uri host) => false;
    }

    [Fact]
    public void Equal_settings_share_one_pool_and_a_different_password_gets_its_own()
    {
        var first = ConnectionPools.For(Remote, new ProxySettings(ProxyAddress, new NetworkCredential("pool-user", "one"), false));

        Assert.Same(first, ConnectionPools.For(Loopback, new ProxySettings(ProxyAddress, new NetworkCredential("pool-user", "one"), false)));
        Assert.NotSame(first, ConnectionPools.For(Remote, new ProxySettings(ProxyAddress, new NetworkCredential("pool-user", "two"), false)));
        Assert.NotSame(first, ConnectionPools.For(Remote, new ProxySettings(new Uri("http://other.example:3128/"), new NetworkCredential("pool-user", "one"), false)));
    }

    [Theory]
    [InlineData("The proxy tunnel request to proxy 'http://proxy.example:3128/' failed with status code '407'.", true)]
    [InlineData("The proxy tunnel request to proxy 'http://proxy.example:3128/' failed with status code '502'.", false)]
    [InlineData("Connection refused (127.0.0.1:9)", false)]
    public void A_407_on_the_tunnel_is_recognised_from_the_message_where_the_runtime_gives_no_status(string message, bool expected) =>
        Assert.Equal(expected, KernelApiClient.IsProxyAuthenticationFailure(new HttpRequestException(message)));

    [Fact]
    public void A_407_on_the_tunnel_is_recognised_from_the_status_where_the_runtime_gives_it() =>
        Assert.True(KernelApiClient.IsProxyAuthenticationFailure(new HttpRequestException("tunnel failed", null, HttpStatusCode.ProxyAuthenticationRequired)));
}
