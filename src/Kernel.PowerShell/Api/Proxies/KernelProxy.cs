using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Kernel.PowerShell
{
    /// <summary>
    /// A proxy browsers can route through. The settings of its type are flattened: Country, City, State, Zip and
    /// Asn for Kernel's own proxies, HostName, Port and UserName for a custom one. A custom proxy's password is
    /// write-only: the API says only whether it has one (HasPassword).
    /// </summary>
    public sealed class KernelProxy
    {
        internal KernelProxy(
            string id,
            string? name,
            string type,
            string? protocol,
            string? status,
            string? ipAddress,
            DateTimeOffset? lastChecked,
            IReadOnlyList<string>? bypassHosts,
            KernelProxySettings settings)
        {
            Id = id;
            Name = name;
            Type = type;
            Protocol = protocol;
            Status = status;
            IpAddress = ipAddress;
            LastChecked = lastChecked;
            BypassHosts = bypassHosts ?? Array.Empty<string>();
            Country = settings.Country;
            City = settings.City;
            State = settings.State;
            Zip = settings.Zip;
            Asn = settings.Asn;
            HostName = settings.HostName;
            Port = settings.Port;
            UserName = settings.UserName;
            HasPassword = settings.HasPassword;
        }

        /// <summary>Builds a proxy from a hashtable, for tests and mocks: <c>[KernelProxy]@{ Id = 'px1'; Type = 'residential'; Country = 'DE' }</c>. Id is required; Type defaults to datacenter.</summary>
        public KernelProxy(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelProxy));
            Id = given.Required<string>(nameof(Id));
            Name = given.Optional<string?>(nameof(Name), null);
            Type = given.Optional(nameof(Type), "datacenter");
            Protocol = given.Optional<string?>(nameof(Protocol), null);
            Status = given.Optional<string?>(nameof(Status), null);
            IpAddress = given.Optional<string?>(nameof(IpAddress), null);
            LastChecked = given.Optional<DateTimeOffset?>(nameof(LastChecked), null);
            BypassHosts = given.List<string>(nameof(BypassHosts));
            Country = given.Optional<string?>(nameof(Country), null);
            City = given.Optional<string?>(nameof(City), null);
            State = given.Optional<string?>(nameof(State), null);
            Zip = given.Optional<string?>(nameof(Zip), null);
            Asn = given.Optional<string?>(nameof(Asn), null);
            HostName = given.Optional<string?>(nameof(HostName), null);
            Port = given.Optional<int?>(nameof(Port), null);
            UserName = given.Optional<string?>(nameof(UserName), null);
            HasPassword = given.Optional(nameof(HasPassword), false);
            given.RequireNoOthers();
        }

        public string Id { get; }

        /// <summary>The proxy's name; names need not be unique.</summary>
        public string? Name { get; }

        /// <summary>datacenter, isp, residential, mobile or custom.</summary>
        public string Type { get; }

        /// <summary>http or https.</summary>
        public string? Protocol { get; }

        /// <summary>available or unavailable, as of the last check.</summary>
        public string? Status { get; }

        /// <summary>The address the proxy's traffic leaves from.</summary>
        public string? IpAddress { get; }

        public DateTimeOffset? LastChecked { get; }

        /// <summary>Host names reached directly, not through the proxy.</summary>
        public IReadOnlyList<string> BypassHosts { get; }

        /// <summary>ISO 3166 country code (Kernel's proxies).</summary>
        public string? Country { get; }

        public string? City { get; }

        public string? State { get; }

        public string? Zip { get; }

        /// <summary>Autonomous system number (residential).</summary>
        public string? Asn { get; }

        /// <summary>The custom proxy's host.</summary>
        public string? HostName { get; }

        /// <summary>The custom proxy's port.</summary>
        public int? Port { get; }

        /// <summary>The custom proxy's user name.</summary>
        public string? UserName { get; }

        /// <summary>True when the custom proxy has a password (never shown back).</summary>
        public bool HasPassword { get; }

        /// <summary>Where its traffic goes, in a few words: <c>DE/berlin</c>, <c>proxy.example.com:8080</c>.</summary>
        public string Location => HostName != null
            ? HostName + (Port is { } port ? ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)
            : string.Join("/", new[] { Country, State, City, Zip, Asn }.Where(part => !string.IsNullOrEmpty(part)));

        public override string ToString() => Id;
    }

    /// <summary>A proxy for -Proxy: its id, its name (when only one proxy has it), or a <see cref="KernelProxy"/>.</summary>
    public sealed class KernelProxyReference : KernelResourceReference
    {
        public KernelProxyReference(string idOrName)
            : base(idOrName)
        {
        }

        public KernelProxyReference(KernelProxy proxy)
            : base(proxy, proxy?.Id!)
        {
        }
    }

    /// <summary>The type-specific settings of a proxy, as the API's config object holds them.</summary>
    internal sealed class KernelProxySettings
    {
        public string? Country { get; set; }

        public string? City { get; set; }

        public string? State { get; set; }

        public string? Zip { get; set; }

        public string? Asn { get; set; }

        public string? HostName { get; set; }

        public int? Port { get; set; }

        public string? UserName { get; set; }

        public bool HasPassword { get; set; }
    }
}
