using System;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Net;
using System.Security;
using System.Threading;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Connect-Kernel: makes a session the default for this runspace.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Kernel", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(KernelSession))]
    public sealed class ConnectKernelCommand : KernelCmdlet
    {
        private const string ApiKeySet = "ApiKey";
        private const string CredentialSet = "Credential";
        private const string EnvironmentSet = "Environment";

        /// <summary>The API key (Kernel dashboard: Settings, API keys).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ApiKeySet, Position = 0)]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; } = null!;

        /// <summary>A credential whose password is the API key; the user name is ignored.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>The API endpoint; defaults to KERNEL_BASE_URL, else https://api.onkernel.com.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        /// <summary>The project to work in, by id or exact name, sent as X-Kernel-Project; defaults to KERNEL_PROJECT, else the key's own project.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Project { get; set; }

        /// <summary>A project id, sent as X-Kernel-Project-Id (as the official SDKs send it); instead of -Project.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProjectId { get; set; }

        /// <summary>A proxy to reach the API through (http://host:port); by default the system's (HTTPS_PROXY, NO_PROXY, Windows settings).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>The user name and password the proxy asks for.</summary>
        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Give the proxy the current user's credentials (Windows' integrated authentication).</summary>
        [Parameter]
        public SwitchParameter ProxyUseDefaultCredentials { get; set; }

        /// <summary>How often a failed safe request (GET, DELETE, PATCH) is tried again, 0 to 10. Default 2, like the official SDKs.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = 2;

        /// <summary>Longest wait for the answer to a plain request (a TimeSpan, seconds, or text such as 2m). Default 60 s.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Longest silence tolerated while uploading or following events (a TimeSpan, seconds, or text such as 2m). Default 60 s.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How long the first call that checks the key and endpoint may take, retries included (a TimeSpan, seconds, or text such as 30s). Default 15 s.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Allow plain http to a host that is not loopback (the key then travels in clear text).</summary>
        [Parameter]
        public SwitchParameter AllowInsecureHttp { get; set; }

        /// <summary>Connect without checking the key and endpoint with a first call.</summary>
        [Parameter]
        public SwitchParameter SkipVerify { get; set; }

        /// <summary>Also write the new session to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            RequirePositive(RequestTimeout, nameof(RequestTimeout));
            RequirePositive(IdleTimeout, nameof(IdleTimeout));
            if (!SkipVerify)
            {
                RequirePositive(VerifyTimeout, nameof(VerifyTimeout));
            }
            RefuseBoth(nameof(Project), Project != null, nameof(ProjectId), ProjectId != null);
            RefuseBoth(nameof(ProxyCredential), ProxyCredential != null, nameof(ProxyUseDefaultCredentials), ProxyUseDefaultCredentials);
            var proxy = ProxySettingsFromParameters();
            var (project, projectSource) = WithSettingsChecked(() => SessionStore.ResolveProject(Project, ProjectId), (object?)Project ?? ProjectId);
            var baseUri = WithSettingsChecked(
                () =>
                {
                    var resolved = SessionStore.ResolveBaseUri(BaseUri);
                    SessionStore.RequireSafeTransport(resolved, AllowInsecureHttp);
                    return resolved;
                },
                BaseUri);

            SecureString key;
            string source;
            switch (ParameterSetName)
            {
                case ApiKeySet:
                    key = ApiKey.Copy();
                    source = "-ApiKey parameter";
                    break;
                case CredentialSet:
                    key = Credential.Password.Copy();
                    source = "-Credential parameter";
                    break;
                default:
                    if (SessionStore.ApiKeyFromEnvironment() is { } fromEnvironment)
                    {
                        key = fromEnvironment;
                        source = SessionStore.ApiKeyVariable + " environment variable";
                    }
                    else if (PromptForKey() is { } typed)
                    {
                        key = typed;
                        source = "prompt";
                    }
                    else
                    {
                        ThrowTerminatingError(ErrorCatalog.Create(
                            ErrorCatalog.NoApiKey,
                            ErrorCategory.AuthenticationError,
                            null,
                            $"No API key: pass -ApiKey or -Credential, or set {SessionStore.ApiKeyVariable} (this host cannot ask for it)."));
                        return;
                    }

                    break;
            }

            if (key.Length == 0)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.NoApiKey, ErrorCategory.AuthenticationError, null, "The API key is empty."));
                return;
            }

            var settings = new SessionSettings
            {
                MaxRetries = MaxRetries,
                RequestTimeout = RequestTimeout,
                IdleTimeout = IdleTimeout,
                Project = project,
                ProjectSource = projectSource,
                Proxy = proxy,
            };
            var session = new KernelSession(baseUri, key, source, settings);
            if (!SkipVerify)
            {
                Verify(session);
            }

            SessionStore.Default = session;
            WriteVerbose($"Connected to {baseUri} with the key from the {source}"
                + (project == null ? string.Empty : $", project '{project.Value}' from the {projectSource} (sent as {project.Name})")
                + (proxy.Address == null ? string.Empty : $", through the proxy {proxy.Address} with {proxy.DescribeCredentials()}")
                + $"; {(SkipVerify ? "not verified" : "verified")}; it is now this runspace's default session.");
            if (PassThru)
            {
                WriteObject(session);
            }
        }
    
        /// <summary>Stops the command when two parameters that exclude each other are both given.</summary>
        private void RefuseBoth(string first, bool firstGiven, string second, bool secondGiven)
        {
            if (firstGiven && secondGiven)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.ConflictingParameters, ErrorCategory.InvalidArgument, null, $"-{first} and -{second} cannot be used together: give one of them."));
            }
        }

        /// <summary>-Proxy, -ProxyCredential and -ProxyUseDefaultCredentials; without -Proxy the credentials go to the system's proxy.</summary>
        private ProxySettings ProxySettingsFromParameters()
        {
            if (Proxy != null)
            {
                if (!Proxy.IsAbsoluteUri || Array.IndexOf(new[] { "http", "https", "socks4", "socks4a", "socks5" }, Proxy.Scheme) < 0)
                {
                    ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidProxy, ErrorCategory.InvalidArgument, Proxy, $"-Proxy must be an absolute URI such as http://proxy.example.com:3128, not '{Proxy.OriginalString}'."));
                }

                if (Proxy.UserInfo.Length > 0)
                {
                    // Neither the message nor the target may repeat the password.
                    var withoutUser = Proxy.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
                    ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidProxy, ErrorCategory.InvalidArgument, withoutUser, $"-Proxy must not carry a user name or password (Get-KernelSession shows the proxy): give -Proxy {withoutUser} and the credentials with -ProxyCredential."));
                }
            }

            return new ProxySettings(Proxy, ProxyCredential?.GetNetworkCredential(), ProxyUseDefaultCredentials);
        }

        /// <summary>
        /// Asks for the key through the host's secure prompt (typed input hidden, as Read-Host -AsSecureString does).
        /// Null when the host cannot ask: pwsh -NonInteractive, a runbook, a runspace without a user interface.
        /// </summary>
        private SecureString? PromptForKey()
        {
            var ui = Host?.UI;
            if (ui == null)
            {
                return null;
            }

            var field = new FieldDescription("Kernel API key")
            {
                HelpMessage = "The API key from the Kernel dashboard (Settings, API keys). It is not shown as you type.",
            };
            field.SetParameterType(typeof(SecureString));
            try
            {
                var answers = ui.Prompt(
                    "Connect-Kernel",
                    $"No API key was given (-ApiKey, -Credential or {SessionStore.ApiKeyVariable}). Type it, or press Ctrl+C to stop.",
                    new Collection<FieldDescription> { field });
                return answers != null && answers.TryGetValue(field.Name, out var answer) ? answer?.BaseObject as SecureString : null;
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException)
            {
                // The host has no one to ask.
                return null;
            }
        }

        /// <summary>One cheap call (the first deployment) proves the endpoint answers and accepts the key.</summary>
        private void Verify(KernelSession session)
        {
            try
            {
                Run("Connecting to " + session.BaseUri, async (observer, token) =>
                {
                    using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
                    limit.CancelAfter(VerifyTimeout);
                    await session.Client.ListAsync(DeploymentApi.Resource, new Query(), 0, 1, _ => false, observer, limit.Token).ConfigureAwait(false);
                    return true;
                });
                WriteVerbose($"{session.BaseUri} accepted the key.");
            }
            catch (KernelProxyAuthenticationException ex)
            {
                session.Dispose();
                ThrowTerminatingError(ErrorCatalog.FromException(ex, session.BaseUri));
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                session.Dispose();
                var (category, advice) = ex switch
                {
                    KernelApiException api when api.StatusCode == HttpStatusCode.Forbidden && session.Project != null =>
                        (ErrorCategory.PermissionDenied, $"it refused project '{session.Project}' from the {session.ProjectSource} with the API key from the {session.ApiKeySource} ({api.Message}). A project-scoped key works only in its own project: check the project, or the key"),
                    KernelApiException api when api.StatusCode == HttpStatusCode.Unauthorized || api.StatusCode == HttpStatusCode.Forbidden =>
                        (ErrorCategory.AuthenticationError, $"it rejected the API key from the {session.ApiKeySource} ({api.Message}). Check the key"),
                    KernelApiException api when api.StatusCode == HttpStatusCode.NotFound && session.Project != null =>
                        (ErrorCategory.ObjectNotFound, $"it does not know project '{session.Project}' from the {session.ProjectSource} ({api.Message}). Check the project"),
                    KernelConnectionException connection =>
                        (ErrorCategory.ConnectionError, $"{connection.InnerException?.InnerException?.Message ?? connection.Message}. Check -BaseUri (or KERNEL_BASE_URL) and the network"),
                    OperationCanceledException _ =>
                        (ErrorCategory.OperationTimeout, $"no answer within {VerifyTimeout.TotalSeconds:0} s (-VerifyTimeout). Check -BaseUri (or KERNEL_BASE_URL) and the network"),
                    TimeoutException _ =>
                        (ErrorCategory.OperationTimeout, $"no answer within {VerifyTimeout.TotalSeconds:0} s (-VerifyTimeout). Check -BaseUri (or KERNEL_BASE_URL) and the network"),
                    _ => (ErrorCategory.ConnectionError, ex.Message),
                };
                ThrowTerminatingError(ErrorCatalog.Create(
                    ErrorCatalog.VerifyFailed,
                    category,
                    session.BaseUri,
                    $"Cannot connect to {session.BaseUri}: {advice}, or pass -SkipVerify to connect without checking.",
                    ex));
            }
        }
    }
}
