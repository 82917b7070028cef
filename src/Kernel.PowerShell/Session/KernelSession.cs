using System;
using System.Collections;
using System.Management.Automation;
using System.Security;
using System.Threading;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell
{
    /// <summary>
    /// A connection to one Kernel endpoint with one API key. Safe to print, pass around and share between
    /// runspaces (<c>$using:session</c>): it shows where the key came from, never the key.
    /// </summary>
    public sealed class KernelSession : IDisposable
    {
        private static int s_lastId;
        private readonly KernelApiClient _client;
        private readonly ProjectHeader? _project;
        private int _closed;

        internal KernelSession(Uri baseUri, SecureString apiKey, string apiKeySource, SessionSettings? settings = null)
        {
            settings ??= new SessionSettings();
            Id = Interlocked.Increment(ref s_lastId);
            BaseUri = baseUri;
            ApiKeySource = apiKeySource;
            _project = settings.Project;
            ProjectSource = settings.Project == null ? null : settings.ProjectSource;
            ConnectedAt = DateTimeOffset.Now;
            apiKey.MakeReadOnly();
            _client = new KernelApiClient(baseUri, apiKey, settings.Project, proxy: settings.Proxy)
            {
                RequestTimeout = settings.RequestTimeout,
                IdleTimeout = settings.IdleTimeout,
                Retries = new Api.RetryPolicy(settings.MaxRetries),
            };
            MaxRetries = settings.MaxRetries;
            RequestTimeout = settings.RequestTimeout;
            IdleTimeout = settings.IdleTimeout;
        }

        /// <summary>
        /// Builds a session from a hashtable, as Connect-Kernel -SkipVerify -PassThru would make it, for scripts and
        /// tests that pass sessions around: <c>[KernelSession]@{ BaseUri = $emu.BaseUri; ApiKey = $emu.ApiKey }</c>.
        /// ApiKey (a SecureString, or a PSCredential whose password is the key) is required; BaseUri, Project,
        /// ProjectId, MaxRetries, RequestTimeout and IdleTimeout default as Connect-Kernel's parameters do (the
        /// environment's KERNEL_BASE_URL and KERNEL_PROJECT included); ApiKeySource and ProjectSource say
        /// "hashtable" unless given. The session is not checked with a call and does not become the runspace's
        /// default: pass it with -Session.
        /// </summary>
        public KernelSession(IDictionary properties)
            : this(FromProperties(properties, out var given))
        {
            Id = given.Optional(nameof(Id), Id);
            ConnectedAt = given.Optional(nameof(ConnectedAt), ConnectedAt);
            given.RequireNoOthers();
        }

        private KernelSession((Uri BaseUri, SecureString ApiKey, string ApiKeySource, SessionSettings Settings) made)
            : this(made.BaseUri, made.ApiKey, made.ApiKeySource, made.Settings)
        {
        }

        /// <summary>A number unique in this process, to tell sessions apart.</summary>
        public int Id { get; }

        public Uri BaseUri { get; }

        /// <summary>The project requests act in, by id or name as it was given; empty means the key's default project.</summary>
        public string? Project => _project?.Value;

        /// <summary>The project id given with -ProjectId (sent as X-Kernel-Project-Id); empty when the project was given otherwise.</summary>
        public string? ProjectId => _project is { IsId: true } ? _project.Value : null;

        /// <summary>Where the project came from, e.g. "-Project parameter" or "KERNEL_PROJECT environment variable".</summary>
        public string? ProjectSource { get; }

        /// <summary>The proxy named for this session; empty means the system's (HTTPS_PROXY and NO_PROXY, or the Windows settings).</summary>
        public Uri? Proxy => _client.Proxy.Address;

        /// <summary>The user name the proxy gets when it asks (from -ProxyCredential); never the password.</summary>
        public string? ProxyUserName => _client.Proxy.UserName;

        /// <summary>The proxy gets the current user's credentials when it asks (-ProxyUseDefaultCredentials).</summary>
        public bool ProxyUseDefaultCredentials => _client.Proxy.UseDefaultCredentials;

        /// <summary>Where the API key came from, e.g. "-ApiKey parameter" or "KERNEL_API_KEY environment variable".</summary>
        public string ApiKeySource { get; }

        public DateTimeOffset ConnectedAt { get; }

        /// <summary>How often a failed safe request (GET, DELETE, PATCH) is tried again.</summary>
        public int MaxRetries { get; }

        /// <summary>Longest wait for the answer to a plain request.</summary>
        public TimeSpan RequestTimeout { get; }

        /// <summary>Longest silence tolerated while uploading or following events.</summary>
        public TimeSpan IdleTimeout { get; }

        public bool IsClosed => Volatile.Read(ref _closed) != 0;

        /// <summary>
        /// True once the API accepted a request of this session (Connect-Kernel's check, or any call that succeeded);
        /// false for a session made with -SkipVerify or from environment variables until then.
        /// </summary>
        public bool IsVerified => _client.HasAnswered;

        /// <summary>What tab completion offers for this session (app names, ids), kept briefly.</summary>
        internal Session.CompletionCache Completions { get; } = new Session.CompletionCache();

        internal KernelApiClient Client => IsClosed
            ? throw new ObjectDisposedException(nameof(KernelSession), $"Kernel session {Id} to {BaseUri} was disconnected; run Connect-Kernel again.")
            : _client;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                _client.Dispose();
            }
        }

        public override string ToString() => $"Kernel session {Id} to {BaseUri}";

        /// <summary>What a hashtable gives for a session, checked as Connect-Kernel checks its parameters.</summary>
        private static (Uri, SecureString, string, SessionSettings) FromProperties(IDictionary properties, out ModelProperties given)
        {
            given = new ModelProperties(properties, typeof(KernelSession));
            var key = given.Required<object>("ApiKey") switch
            {
                SecureString secure => secure.Copy(),
                PSCredential credential => credential.Password.Copy(),
                _ => throw new ArgumentException("KernelSession.ApiKey takes a SecureString (Read-Host -AsSecureString, ConvertTo-SecureString) or a PSCredential whose password is the key, not text."),
            };
            var settings = new SessionSettings
            {
                MaxRetries = given.Optional(nameof(MaxRetries), 2),
                RequestTimeout = given.Optional(nameof(RequestTimeout), TimeSpan.FromSeconds(60)),
                IdleTimeout = given.Optional(nameof(IdleTimeout), TimeSpan.FromSeconds(60)),
            };
            if (settings.MaxRetries < 0 || settings.MaxRetries > 10 || settings.RequestTimeout <= TimeSpan.Zero || settings.IdleTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentException("KernelSession: MaxRetries goes from 0 to 10, and RequestTimeout and IdleTimeout must be positive.");
            }

            try
            {
                var baseUri = SessionStore.ResolveBaseUri(given.Optional<Uri?>(nameof(BaseUri), null));
                SessionStore.RequireSafeTransport(baseUri, allowInsecureHttp: false);
                var project = given.Optional<string?>(nameof(Project), null);
                var projectId = given.Optional<string?>(nameof(ProjectId), null);
                var projectSource = given.Optional<string?>(nameof(ProjectSource), null);
                (settings.Project, settings.ProjectSource) = SessionStore.ResolveProject(project, projectId);
                if (!string.IsNullOrEmpty(project) || !string.IsNullOrEmpty(projectId))
                {
                    settings.ProjectSource = projectSource ?? "hashtable";
                }

                return (baseUri, key, given.Optional(nameof(ApiKeySource), "hashtable"), settings);
            }
            catch (Exception ex) when (ex is InsecureTransportException || ex is InvalidProjectException)
            {
                throw new ArgumentException("KernelSession: " + ex.Message, ex);
            }
        }
    }

    /// <summary>The tunable parts of a session, with the official SDKs' defaults.</summary>
    internal sealed class SessionSettings
    {
        public int MaxRetries { get; set; } = 2;

        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The project and the header that carries it; null means the key's default project.</summary>
        public ProjectHeader? Project { get; set; }

        /// <summary>Where <see cref="Project"/> came from, for people.</summary>
        public string? ProjectSource { get; set; }

        public ProxySettings Proxy { get; set; } = ProxySettings.System;
    }
}
