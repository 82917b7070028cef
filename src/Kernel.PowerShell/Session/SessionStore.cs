using System;
using System.Security;

namespace Kernel.PowerShell.Session
{
    /// <summary>The runspace's default session, set by Connect-Kernel, and how a session is made from settings.</summary>
    internal static class SessionStore
    {
        public const string ApiKeyVariable = "KERNEL_API_KEY";
        public const string BaseUrlVariable = "KERNEL_BASE_URL";
        public const string ProjectVariable = "KERNEL_PROJECT";
        public const string ProjectParameterSource = "-Project parameter";
        public const string ProjectIdParameterSource = "-ProjectId parameter";
        public static readonly Uri DefaultBaseUri = new Uri("https://api.onkernel.com/");

        private static readonly RunspaceState<Slot> Slots = new RunspaceState<Slot>();

        public static KernelSession? Default
        {
            get => Slots.Current.Session;
            set => Slots.Current.Session = value;
        }

        /// <summary>The base URI to use when none is given: KERNEL_BASE_URL, else the public API.</summary>
        public static Uri ResolveBaseUri(Uri? given)
        {
            if (given != null)
            {
                return Normalize(given, "-BaseUri");
            }

            var fromEnvironment = Environment.GetEnvironmentVariable(BaseUrlVariable);
            if (string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return DefaultBaseUri;
            }

            if (!Uri.TryCreate(fromEnvironment.Trim(), UriKind.Absolute, out var uri))
            {
                throw new ArgumentException($"{BaseUrlVariable} is not an absolute URI: '{fromEnvironment}'.");
            }

            return Normalize(uri, BaseUrlVariable);
        }

        /// <summary>
        /// Refuses to send an API key in clear text over the network: plain http is allowed only to a loopback
        /// address (the emulator), unless the caller insists.
        /// </summary>
        public static void RequireSafeTransport(Uri baseUri, bool allowInsecureHttp)
        {
            if (baseUri.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp && !IsLoopback(baseUri))
            {
                throw new InsecureTransportException(
                    $"Refusing to send the API key in clear text to {baseUri} (plain http to a host that is not loopback). Use https, or pass -AllowInsecureHttp if this network is trusted.");
            }
        }

        private static bool IsLoopback(Uri uri) => Api.ConnectionPools.IsLoopback(uri);

        /// <summary>
        /// The project a session acts in: -ProjectId (an id, sent as X-Kernel-Project-Id, as the official SDKs send it),
        /// else -Project, else KERNEL_PROJECT (an id or an exact name, sent as X-Kernel-Project, as Kernel's CLI sends
        /// them); with none of them, the key's default project. Null project, null source.
        /// </summary>
        public static (Api.ProjectHeader? Project, string? Source) ResolveProject(string? project, string? projectId)
        {
            if (!string.IsNullOrEmpty(projectId))
            {
                return (Api.ProjectHeader.ById(Sendable(projectId!, ProjectIdParameterSource)), ProjectIdParameterSource);
            }

            if (!string.IsNullOrEmpty(project))
            {
                return (Api.ProjectHeader.ByIdOrName(Sendable(project!, ProjectParameterSource)), ProjectParameterSource);
            }

            var fromEnvironment = Environment.GetEnvironmentVariable(ProjectVariable)?.Trim();
            var source = ProjectVariable + " environment variable";
            return string.IsNullOrEmpty(fromEnvironment)
                ? (null, null)
                : (Api.ProjectHeader.ByIdOrName(Sendable(fromEnvironment!, source)), source);
        }

        /// <summary>
        /// The project as a header can carry it: printable ASCII (.NET sends nothing else in a header, and a line
        /// break would end it), without spaces around it.
        /// </summary>
        private static string Sendable(string project, string source)
        {
            foreach (var c in project)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    var shown = new string(Array.ConvertAll(project.ToCharArray(), x => x < 0x20 ? '?' : x));
                    throw new InvalidProjectException($"The project '{shown}' from the {source} has a character an HTTP header cannot carry ({(c < 0x20 ? "a control character" : $"'{c}'")}): name the project by its id.");
                }
            }

            return project.Trim();
        }

        /// <summary>
        /// The session the environment describes (KERNEL_API_KEY, KERNEL_BASE_URL, KERNEL_PROJECT), not verified, or
        /// null without a key. Throws <see cref="ArgumentException"/> or <see cref="InsecureTransportException"/>
        /// when the variables describe an endpoint it must not use.
        /// </summary>
        public static KernelSession? FromEnvironment()
        {
            var key = ApiKeyFromEnvironment();
            if (key == null)
            {
                return null;
            }

            var baseUri = ResolveBaseUri(null);
            RequireSafeTransport(baseUri, allowInsecureHttp: false);
            var (project, projectSource) = ResolveProject(null, null);
            return new KernelSession(baseUri, key, ApiKeyVariable + " environment variable", new SessionSettings { Project = project, ProjectSource = projectSource });
        }

        public static bool HasApiKeyInEnvironment => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ApiKeyVariable));

        /// <summary>The key in KERNEL_API_KEY as a SecureString, or null when it is not set.</summary>
        public static SecureString? ApiKeyFromEnvironment()
        {
            var value = Environment.GetEnvironmentVariable(ApiKeyVariable);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var key = new SecureString();
            foreach (var c in value.Trim())
            {
                key.AppendChar(c);
            }

            return key;
        }

        private static Uri Normalize(Uri uri, string source)
        {
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{source} must be an absolute http or https URI, not '{uri}'.");
            }

            // Relative request paths are resolved against it, so it must end with '/'.
            var text = uri.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }

        private sealed class Slot
        {
            public KernelSession? Session { get; set; }
        }
    }

    /// <summary>A project that cannot be sent (see <see cref="SessionStore.ResolveProject"/>).</summary>
    internal sealed class InvalidProjectException : Exception
    {
        public InvalidProjectException(string message)
            : base(message)
        {
        }
    }

    internal sealed class InsecureTransportException : Exception
    {
        public InsecureTransportException(string message)
            : base(message)
        {
        }
    }
}
