using System;
using System.Net;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// How a session reaches the API: through a proxy it names, or through the one the system names (HTTPS_PROXY,
    /// HTTP_PROXY and NO_PROXY on PowerShell 7; the Windows proxy settings), with credentials for that proxy or
    /// without. The password stays in the <see cref="NetworkCredential"/>; nothing here prints it.
    /// </summary>
    internal sealed class ProxySettings
    {
        /// <summary>The system's proxy, without credentials: what every session used before proxies could be named.</summary>
        public static readonly ProxySettings System = new ProxySettings(null, null, false);

        public ProxySettings(Uri? address, NetworkCredential? credential, bool useDefaultCredentials)
        {
            if (credential != null && useDefaultCredentials)
            {
                throw new ArgumentException("Proxy credentials are either given or the current user's, not both.");
            }

            Address = address;
            Credential = credential;
            UseDefaultCredentials = useDefaultCredentials;
        }

        /// <summary>The proxy named for the session; null means the system's.</summary>
        public Uri? Address { get; }

        /// <summary>The user name and password the proxy gets when it asks (407).</summary>
        public NetworkCredential? Credential { get; }

        /// <summary>The proxy gets the current user's credentials when it asks (Windows' integrated authentication).</summary>
        public bool UseDefaultCredentials { get; }

        /// <summary>What the proxy gets when it asks, if anything.</summary>
        public ICredentials? Credentials => UseDefaultCredentials ? CredentialCache.DefaultCredentials : Credential;

        /// <summary>The user name of <see cref="Credential"/>, with its domain when it has one.</summary>
        public string? UserName => Credential == null
            ? null
            : string.IsNullOrEmpty(Credential.Domain) ? Credential.UserName : Credential.Domain + "\\" + Credential.UserName;

        /// <summary>What the proxy is offered, in words, for messages (never the password).</summary>
        public string DescribeCredentials() =>
            UseDefaultCredentials ? "the current user's default credentials"
            : Credential != null ? $"the credentials of user '{UserName}'"
            : "no credentials";

        /// <summary>True when both reach the API the same way: same proxy, same credentials.</summary>
        public bool SameAs(ProxySettings other) =>
            Equals(Address, other.Address)
            && UseDefaultCredentials == other.UseDefaultCredentials
            && SameCredential(Credential, other.Credential);

        private static bool SameCredential(NetworkCredential? a, NetworkCredential? b) =>
            a == null || b == null
                ? a == null && b == null
                : string.Equals(a.UserName, b.UserName, StringComparison.Ordinal)
                    && string.Equals(a.Domain, b.Domain, StringComparison.Ordinal)
                    && string.Equals(a.Password, b.Password, StringComparison.Ordinal);
    }
}
