using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Base of the cmdlets that talk to the API: they take -Session or use the runspace's default.</summary>
    public abstract partial class KernelSessionCmdlet : KernelCmdlet
    {
        /// <summary>The session to use; defaults to the one Connect-Kernel stored for this runspace.</summary>
        [Parameter]
        [ValidateNotNull]
        public KernelSession? Session { get; set; }

        private KernelSession? _resolved;

        /// <summary>
        /// Lists with -First/-Skip (SupportsPaging): streams every item of the API's pages to the pipeline,
        /// starting at -Skip and stopping after -First.
        /// </summary>
        internal void WritePaged<T>(string activity, Func<long, long, Func<T, bool>, IOperationObserver, CancellationToken, Task> list)
        {
            WriteTotalCount();
            var (skip, first) = Window.HandOver();
            if (first == 0)
            {
                return;
            }

            RunStreaming<T>(activity, (observer, emit, token) => list(skip, first, emit, observer, token));
        }

        /// <summary>-IncludeTotalCount: the API does not say how many items a list has, so the total is written as unknown, once.</summary>
        internal void WriteTotalCount()
        {
            if (PagingParameters != null && PagingParameters.IncludeTotalCount && !_totalCountWritten)
            {
                _totalCountWritten = true;
                WriteObject(PagingParameters.NewTotalCount(0, 0.0));
            }
        }

        private bool _totalCountWritten;

        /// <summary>
        /// Where requests would go, for -WhatIf and -Confirm: the session's endpoint, or without one the endpoint a
        /// session from the environment would use. Never fails and never makes a session, so -WhatIf works with no
        /// credentials at all.
        /// </summary>
        internal string DescribeEndpoint()
        {
            var session = Session ?? SessionStore.Default;
            if (session != null)
            {
                return session.BaseUri.ToString();
            }

            try
            {
                var baseUri = SessionStore.ResolveBaseUri(null);
                return SessionStore.HasApiKeyInEnvironment ? baseUri.ToString() : $"{baseUri} (not connected: Connect-Kernel or {SessionStore.ApiKeyVariable} needed to run it)";
            }
            catch (ArgumentException ex)
            {
                return $"no endpoint ({ex.Message})";
            }
        }

        /// <summary>The deployments serving app versions (Get-KernelApp output); one that names none is an error, and skipped.</summary>
        internal IEnumerable<string> DeploymentIds(IEnumerable<KernelApp> apps)
        {
            foreach (var app in apps)
            {
                if (string.IsNullOrEmpty(app.DeploymentId))
                {
                    WriteError(ErrorCatalog.Create(ErrorCatalog.AppWithoutDeployment, ErrorCategory.InvalidData, app, $"App '{app.AppName}' version '{app.Version}' names no deployment; find it with: Get-KernelDeployment -AppName '{app.AppName}' -AppVersion '{app.Version}'"));
                }
                else
                {
                    yield return app.DeploymentId;
                }
            }
        }

        /// <summary>
        /// -Session, else the runspace's default, else (for CI, where nobody runs Connect-Kernel) a default made
        /// from KERNEL_API_KEY and KERNEL_BASE_URL. Terminates when none is to be had.
        /// </summary>
        internal KernelApiClient ResolveClient() => ResolveSession().Client;

        /// <summary>An API error with the PowerShell fix: a rejected key says where the key came from.</summary>
        internal override ErrorRecord Failure(Exception exception, object? target)
        {
            var record = base.Failure(exception, target);
            if (exception is KernelApiException api && (int)api.StatusCode == 401 && _resolved is { } session)
            {
                var fix = $"Check the key, or connect with the right one: Connect-Kernel -ApiKey (Read-Host -AsSecureString 'Kernel API key'){ProjectArgument(session)}";
                record.ErrorDetails = new ErrorDetails($"{api.Message.TrimEnd('.')}. The API key came from the {session.ApiKeySource} ({session}). {fix}") { RecommendedAction = fix };
            }
            else if (exception is KernelApiException forbidden && (int)forbidden.StatusCode == 403 && _resolved is { Project: { } project } scoped)
            {
                var fix = $"A project-scoped key works only in its own project: name that one (or none) with -Project or {SessionStore.ProjectVariable}, or use a key of project '{project}'.";
                record.ErrorDetails = new ErrorDetails($"{forbidden.Message.TrimEnd('.')}. The session asks for project '{project}' (from the {scoped.ProjectSource}). {fix}") { RecommendedAction = fix };
            }

            return record;
        }

        /// <summary>The project as Connect-Kernel takes it, for a command to run: " -Project x", or nothing when it came from the environment.</summary>
        private static string ProjectArgument(KernelSession session) =>
            session.ProjectId != null ? " -ProjectId " + session.ProjectId
            : session.Project != null && session.ProjectSource == SessionStore.ProjectParameterSource ? $" -Project '{session.Project.Replace("'", "''")}'"
            : string.Empty;

        /// <summary>The session to use (see <see cref="ResolveClient"/>).</summary>
        internal KernelSession ResolveSession()
        {
            var session = _resolved = Session ?? DefaultSession();
            if (session == null)
            {
                ThrowTerminatingError(ErrorCatalog.Create(
                    ErrorCatalog.NotConnected,
                    ErrorCategory.ConnectionError,
                    null,
                    "Not connected to Kernel: run Connect-Kernel first (or pass -Session, or set KERNEL_API_KEY)."));
            }

            if (session!.IsClosed)
            {
                ThrowTerminatingError(ErrorCatalog.Create(
                    ErrorCatalog.SessionClosed,
                    ErrorCategory.ResourceUnavailable,
                    session,
                    $"{session} was disconnected; run Connect-Kernel again."));
            }

            return session;
        }
    }
}
