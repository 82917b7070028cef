using System;
using System.Management.Automation;
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

        /// <summary>A project id, sent as X-Kernel-Project-Id; by default the key's own project.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProjectId { get; set; }

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
            Uri baseUri;
            try
            {
                baseUri = SessionStore.ResolveBaseUri(BaseUri);
                SessionStore.RequireSafeTransport(baseUri, AllowInsecureHttp);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBaseUri, ErrorCategory.InvalidArgument, BaseUri, ex.Message, ex));
                return;
            }
            catch (InsecureTransportException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InsecureHttp, ErrorCategory.SecurityError, BaseUri, ex.Message, ex));
                return;
            }

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
                    var fromEnvironment = SessionStore.ApiKeyFromEnvironment();
                    if (fromEnvironment == null)
                    {
                        ThrowTerminatingError(ErrorCatalog.Create(
                            ErrorCatalog.NoApiKey,
                            ErrorCategory.AuthenticationError,
                            null,
                            $"No API key: pass -ApiKey or -Credential, or set {SessionStore.ApiKeyVariable}."));
                        return;
                    }

                    key = fromEnvironment;
                    source = SessionStore.ApiKeyVariable + " environment variable";
                    break;
            }

            if (key.Length == 0)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.NoApiKey, ErrorCategory.AuthenticationError, null, "The API key is empty."));
                return;
            }

            var settings = new SessionSettings { MaxRetries = MaxRetries, RequestTimeout = RequestTimeout, IdleTimeout = IdleTimeout };
            var session = new KernelSession(baseUri, key, source, ProjectId, settings);
            if (!SkipVerify)
            {
                Verify(session);
            }

            SessionStore.Default = session;
            WriteVerbose($"Connected to {baseUri} with the key from the {source}{(ProjectId == null ? string.Empty : ", project " + ProjectId)}; it is now this runspace's default session.");
            if (PassThru)
            {
                WriteObject(session);
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
            catch (Exception ex) when (IsFailure(ex))
            {
                session.Dispose();
                var (category, advice) = ex switch
                {
                    KernelApiException api when api.StatusCode == HttpStatusCode.Unauthorized || api.StatusCode == HttpStatusCode.Forbidden =>
                        (ErrorCategory.AuthenticationError, $"it rejected the API key from the {session.ApiKeySource} ({api.Message}). Check the key"),
                    KernelApiException api when api.StatusCode == HttpStatusCode.NotFound && ProjectId != null =>
                        (ErrorCategory.ObjectNotFound, $"it does not know project '{ProjectId}' ({api.Message}). Check -ProjectId"),
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
