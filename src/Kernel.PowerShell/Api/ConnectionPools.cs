using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// The process's connection pools, one per way of reaching the API. Sessions share them and never dispose them:
    /// a session replaced by Connect-Kernel holds no sockets of its own, so replacing sessions leaks nothing, and one
    /// still held elsewhere keeps working. A handler's proxy is fixed before its first request, so each distinct
    /// proxy setting (proxy and credentials) has a pool of its own, kept for the life of the process: reconnecting
    /// with the same setting reuses it, and only a new setting adds one.
    /// </summary>
    internal static class ConnectionPools
    {
        private static readonly Lazy<HttpMessageHandler> SystemProxy = new Lazy<HttpMessageHandler>(() => new HttpClientHandler(), LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly Lazy<HttpMessageHandler> Direct = new Lazy<HttpMessageHandler>(() => new HttpClientHandler { UseProxy = false }, LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly List<KeyValuePair<ProxySettings, HttpMessageHandler>> Proxied = new List<KeyValuePair<ProxySettings, HttpMessageHandler>>();

        /// <summary>
        /// The pool for requests to <paramref name="baseUri"/>. A loopback endpoint (the emulator) is reached
        /// directly unless the session names a proxy: a proxy from the environment or the system settings could
        /// never reach this machine's loopback (.NET itself does not skip it: NO_PROXY matches host names only).
        /// </summary>
        public static HttpMessageHandler For(Uri baseUri, ProxySettings proxy)
        {
            // Before any handler sends its first request (.NET Framework reads the setting per connection).
            DesktopTls.EnsureTls12();
            if (proxy.Address == null && IsLoopback(baseUri))
            {
                return Direct.Value;
            }

            if (proxy.Address == null && proxy.Credentials == null)
            {
                return SystemProxy.Value;
            }

            lock (Proxied)
            {
                foreach (var pool in Proxied)
                {
                    if (pool.Key.SameAs(proxy))
                    {
                        return pool.Value;
                    }
                }

                var handler = new HttpClientHandler
                {
                    UseProxy = true,
                    Proxy = proxy.Address != null ? new NamedProxy(proxy.Address, proxy.Credentials) : new SystemProxyWithCredentials(proxy.Credentials),
                };
                Proxied.Add(new KeyValuePair<ProxySettings, HttpMessageHandler>(proxy, handler));
                return handler;
            }
        }

        /// <summary>How many pools proxy settings have added so far.</summary>
        internal static int ProxiedCount
        {
            get
            {
                lock (Proxied)
                {
                    return Proxied.Count;
                }
            }
        }

        /// <summary>The proxy that requests to <paramref name="baseUri"/> go through, or null when they go direct.</summary>
        public static Uri? ProxyFor(Uri baseUri, ProxySettings proxy)
        {
            if (proxy.Address != null)
            {
                return proxy.Address;
            }

            return IsLoopback(baseUri) ? null : SystemProxyFor(baseUri);
        }

        /// <summary>
        /// The proxy the system's settings give for <paramref name="destination"/>, or null for none. A system proxy
        /// says "go direct" three ways: IsBypassed, a null address (.NET's Windows system proxy answers every
        /// bypass rule and DIRECT from a PAC script so, with IsBypassed false) and the destination itself (.NET
        /// Framework's habit). Only .NET Framework reads the last one as direct; .NET would tunnel through the API host.
        /// </summary>
        private static Uri? SystemProxyFor(Uri destination)
        {
            var system = WebRequest.DefaultWebProxy;
            if (system == null || system.IsBypassed(destination))
            {
                return null;
            }

            var address = system.GetProxy(destination);
            return address == null || address == destination ? null : address;
        }

        /// <summary>localhost, 127.0.0.0/8 or ::1.</summary>
        public static bool IsLoopback(Uri uri) =>
            string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

        /// <summary>
        /// A proxy the session names: every request goes through it, loopback included. (WebProxy would not do:
        /// on .NET Framework it never proxies a loopback address, on .NET it does, so one module would behave two ways.)
        /// </summary>
        private sealed class NamedProxy : IWebProxy
        {
            private readonly Uri _address;

            public NamedProxy(Uri address, ICredentials? credentials)
            {
                _address = address;
                Credentials = credentials;
            }

            public ICredentials? Credentials { get; set; }

            public Uri GetProxy(Uri destination) => _address;

            public bool IsBypassed(Uri host) => false;
        }

        /// <summary>
        /// The system's proxy with credentials of this session's own. The process-wide default proxy
        /// (WebRequest.DefaultWebProxy, which is HttpClient.DefaultProxy on .NET) is asked where to go but never
        /// changed, so other sessions and other modules keep their credentials. It is read on every request, as the
        /// runtime's own default handling does.
        /// </summary>
        private sealed class SystemProxyWithCredentials : IWebProxy
        {
            public SystemProxyWithCredentials(ICredentials? credentials) => Credentials = credentials;

            public ICredentials? Credentials { get; set; }

            // Every way of saying "direct" becomes IsBypassed, the one both runtimes read the same way.
            public Uri GetProxy(Uri destination) => SystemProxyFor(destination) ?? destination;

            public bool IsBypassed(Uri host) => SystemProxyFor(host) == null;
        }
    }
}
