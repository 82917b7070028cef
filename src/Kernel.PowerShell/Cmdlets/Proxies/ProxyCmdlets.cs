using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// New-KernelProxy: a proxy browsers can route through. Kernel's own (datacenter, isp, residential, mobile)
    /// take where the traffic should come from; a custom one takes your proxy's host, port and credentials. The
    /// password is sent once and never shown back.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "KernelProxy", DefaultParameterSetName = KernelSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelProxy))]
    public sealed class NewKernelProxyCommand : KernelSessionCmdlet
    {
        private const string KernelSet = "Kernel";
        private const string CustomSet = "Custom";

        /// <summary>Which settings each type takes (the parameters' names).</summary>
        private static readonly Dictionary<string, string[]> Settings = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["datacenter"] = new[] { nameof(Country) },
            ["isp"] = new[] { nameof(Country) },
            ["residential"] = new[] { nameof(Country), nameof(City), nameof(State), nameof(Zip), nameof(Asn) },
            ["mobile"] = new[] { nameof(Country), nameof(City), nameof(State) },
            ["custom"] = new[] { nameof(HostName), nameof(Port), nameof(Credential), nameof(UserName), nameof(Password) },
        };

        /// <summary>datacenter, isp, residential, mobile (Kernel's, best to worst against bot detection: mobile, residential, isp, datacenter) or custom (yours).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("datacenter", "isp", "residential", "mobile", "custom")]
        public string Type { get; set; } = null!;

        /// <summary>A name to find it by (names may repeat).</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>ISO 3166 country code of the exit (datacenter, isp, residential, mobile).</summary>
        [Parameter(ParameterSetName = KernelSet)]
        [ValidatePattern("^[A-Za-z]{2}$")]
        public string? Country { get; set; }

        /// <summary>City, without spaces (residential, mobile; needs -Country).</summary>
        [Parameter(ParameterSetName = KernelSet)]
        [ValidateNotNullOrEmpty]
        public string? City { get; set; }

        /// <summary>Two-letter state code (residential, mobile).</summary>
        [Parameter(ParameterSetName = KernelSet)]
        [ValidateNotNullOrEmpty]
        public string? State { get; set; }

        /// <summary>US ZIP code (residential).</summary>
        [Parameter(ParameterSetName = KernelSet)]
        [ValidateNotNullOrEmpty]
        public string? Zip { get; set; }

        /// <summary>Autonomous system number, such as AS15169 (residential).</summary>
        [Parameter(ParameterSetName = KernelSet)]
        [ValidateNotNullOrEmpty]
        public string? Asn { get; set; }

        /// <summary>Your proxy's host name or IP address (custom).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CustomSet)]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = null!;

        /// <summary>Your proxy's port (custom).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CustomSet)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>User name and password for your proxy (custom).</summary>
        [Parameter(ParameterSetName = CustomSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <summary>User name for your proxy, without -Credential (custom).</summary>
        [Parameter(ParameterSetName = CustomSet)]
        [ValidateNotNullOrEmpty]
        public string? UserName { get; set; }

        /// <summary>Password for your proxy, without -Credential (custom); sent once, never shown back.</summary>
        [Parameter(ParameterSetName = CustomSet)]
        [ValidateNotNull]
        public SecureString? Password { get; set; }

        /// <summary>http or https (Kernel's default) between the browser and the proxy.</summary>
        [Parameter]
        [ValidateSet("http", "https")]
        public string? Protocol { get; set; }

        /// <summary>Host names reached directly, not through the proxy.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? BypassHost { get; set; }

        protected override void BeginProcessing()
        {
            Type = Type.ToLowerInvariant(); // ValidateSet lets -Type Custom through; the API and the checks below want custom
            var given = MyInvocation.BoundParameters.Keys.Where(key => Settings.Values.Any(settings => settings.Contains(key))).ToList();
            var wrong = given.Where(key => !Settings[Type].Contains(key)).ToList();
            if (wrong.Count > 0)
            {
                Refuse($"-{string.Join(", -", wrong)} {(wrong.Count == 1 ? "is" : "are")} not for a {Type} proxy; it takes {(Settings[Type].Length == 0 ? "none" : "-" + string.Join(", -", Settings[Type]))}.");
            }

            if (Type == "custom" && ParameterSetName != CustomSet)
            {
                Refuse("A custom proxy needs -HostName and -Port.");
            }

            if (Credential != null && (UserName != null || Password != null))
            {
                Refuse("Give -Credential, or -UserName and -Password, not both.");
            }

            if (City != null && Country == null)
            {
                Refuse("-City needs -Country.");
            }
        }

        protected override void ProcessRecord()
        {
            var user = Credential?.UserName ?? UserName;
            var password = Credential?.Password ?? Password;
            var where = Type == "custom"
                ? $"{HostName}:{Port}{(user == null ? string.Empty : $" as {user}")}{(password == null ? string.Empty : " with a password")}"
                : string.Join("/", new[] { Country, State, City, Zip, Asn }.Where(part => part != null));
            var what = $"{Type} proxy{(Name == null ? string.Empty : $" '{Name}'")}{(where.Length == 0 ? string.Empty : $" ({where})")}";
            if (!ShouldProcess($"{what} on {DescribeEndpoint()}", "Create"))
            {
                return;
            }

            var session = ResolveSession();

            var config = new OrderedDictionary();
            foreach (var (key, value) in new (string, object?)[]
            {
                ("country", Country?.ToUpperInvariant()), ("city", City), ("state", State), ("zip", Zip), ("asn", Asn),
                ("host", Type == "custom" ? HostName : null), ("port", Type == "custom" ? Port : (int?)null), ("username", user), ("password", password),
            })
            {
                if (value != null)
                {
                    config[key] = value;
                }
            }

            WriteCreated(
                session,
                "Creating a " + what,
                Name,
                (observer, token) => session.Client.CreateAsync(
                    ProxyApi.Resource,
                    new[]
                    {
                        BrowserSettings.Field("type", Type),
                        BrowserSettings.Field("name", Name),
                        BrowserSettings.Field("protocol", Protocol),
                        BrowserSettings.Field("bypass_hosts", BypassHost),
                        BrowserSettings.Field("config", config.Count == 0 ? null : config),
                    },
                    observer,
                    token),
                proxy => $"Created {what}: {proxy.Id}.");
        }

        private void Refuse(string message) =>
            ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidProxySettings, ErrorCategory.InvalidArgument, Type, message));
    }

    /// <summary>Get-KernelProxy: proxies by id or name (wildcards), over every page.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelProxy", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelProxy))]
    public sealed class GetKernelProxyCommand : GetResourceCmdlet<KernelProxy>
    {
        /// <summary>Only proxies of these types.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("datacenter", "isp", "residential", "mobile", "custom")]
        public string[]? Type { get; set; }

        internal override ApiResource<KernelProxy> Resource => ProxyApi.Resource;

        internal override Func<KernelProxy, bool>? Keep() =>
            Type == null ? (Func<KernelProxy, bool>?)null : proxy => Type.Contains(proxy.Type, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Set-KernelProxy: renames proxies (the only thing the API lets change).</summary>
    [Cmdlet(VerbsCommon.Set, "KernelProxy", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KernelProxy))]
    public sealed class SetKernelProxyCommand : RenameResourceCmdlet<KernelProxy>
    {
        internal override ApiResource<KernelProxy> Resource => ProxyApi.Resource;
    }

    /// <summary>Remove-KernelProxy: deletes proxies (browsers already using one keep it).</summary>
    [Cmdlet(VerbsCommon.Remove, "KernelProxy", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveKernelProxyCommand : RemoveResourceCmdlet<KernelProxy>
    {
        internal override ApiResource<KernelProxy> Resource => ProxyApi.Resource;

        internal override string RemoveAction => "Delete the proxy";
    }

    /// <summary>
    /// Test-KernelProxy: the API's health check. Writes the proxy with its fresh Status, or with -Quiet only
    /// whether it is available. With -Url it tests reaching that site (and leaves the proxy's status alone).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KernelProxy", DefaultParameterSetName = IdSet)]
    [OutputType(typeof(KernelProxy), typeof(bool))]
    public sealed class TestKernelProxyCommand : TargetResourceCmdlet<KernelProxy>
    {
        /// <summary>A site (http or https) to test reaching through the proxy.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Url { get; set; }

        /// <summary>Write only $true (available) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        internal override ApiResource<KernelProxy> Resource => ProxyApi.Resource;

        protected override void ProcessRecord()
        {
            var client = ResolveClient();
            foreach (var target in Targets())
            {
                try
                {
                    var proxy = Run("Checking " + Describe(target), (observer, token) => client.CheckProxyAsync(target.IdOrName, Url?.AbsoluteUri, observer, token));
                    WriteObject(Quiet ? (object)(proxy.Status == "available") : proxy);
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, target.IdOrName);
                }
            }
        }
    }
}
