using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Get-KernelDeployment: one deployment by id, or the deployments that match, newest first.</summary>
    [Cmdlet(VerbsCommon.Get, "KernelDeployment", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(KernelDeployment))]
    public sealed class GetKernelDeploymentCommand : KernelSessionCmdlet
    {
        private const string IdSet = "Id";
        private const string ListSet = "List";
        private const string AppSet = "App";
        private Dictionary<string, KernelApp>? _appsByDeployment;
        private KernelApiClient? _client;

        /// <summary>The deployment id; binds from the Id of piped deployments.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("DeploymentId")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DeploymentIdCompleter))]
        public string[] Id { get; set; } = null!;

        /// <summary>App versions (Get-KernelApp output): their deployments. Piped app versions bind here, not to -Id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AppSet, ValueFromPipeline = true, HelpMessage = "Pipe app versions from Get-KernelApp here; give deployment ids with -Id.")]
        [ValidateNotNull]
        public KernelApp[] App { get; set; } = null!;

        /// <summary>
        /// Only deployments of this app. Wildcards match the apps that have a running version; a literal name with
        /// no deployment at all is an ObjectNotFound error.
        /// </summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(AppNameCompleter))]
        public string? AppName { get; set; }

        /// <summary>Only deployments of this app version (needs -AppName).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? AppVersion { get; set; }

        /// <summary>Search by deployment id or app name.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string? Query { get; set; }

        protected override void ProcessRecord()
        {
            _client = ResolveClient();
            if (ParameterSetName == AppSet)
            {
                // Piped app versions say themselves which deployment serves each: no listing of the apps needed.
                _appsByDeployment ??= new Dictionary<string, KernelApp>(StringComparer.Ordinal);
                foreach (var app in App)
                {
                    _appsByDeployment[app.DeploymentId] = app;
                }
            }

            if (ParameterSetName != ListSet)
            {
                WriteById(DeploymentApi.Resource, ParameterSetName == AppSet ? DeploymentIds(App) : Id, new Query(), WithApps);
                return;
            }

            if (AppVersion != null && AppName == null)
            {
                ThrowTerminatingError(ErrorCatalog.Create("AppVersionNeedsAppName", ErrorCategory.InvalidArgument, AppVersion, "-AppVersion needs -AppName."));
            }

            var filter = new Query().With("query", Query);
            if (AppName == null)
            {
                WriteList(DeploymentApi.Resource, filter, null, complete: WithApps);
                return;
            }

            // A deployment does not carry its app's name: the API filters by it exactly, so a wildcard is first
            // matched against the apps that have a running version.
            var client = _client;
            var found = false;
            WriteTotalCount();
            try
            {
                RunStreaming<KernelDeployment>("Listing deployments", async (observer, emit, token) =>
                {
                    var withApp = await WithApps(observer, token).ConfigureAwait(false);
                    var wildcard = WildcardPattern.ContainsWildcardCharacters(AppName);
                    var appNames = wildcard ? new List<string>() : new List<string> { AppName };
                    if (wildcard)
                    {
                        await client.ListNamedAsync(AppApi.Resource, new[] { AppName }, new Query(), app => { appNames.Add(app.AppName); return true; }, observer, token).ConfigureAwait(false);
                    }

                    foreach (var appName in appNames.Distinct(StringComparer.Ordinal))
                    {
                        var going = true;
                        await client.ListAsync(DeploymentApi.Resource, filter.With("app_name", appName).With("app_version", AppVersion), 0, long.MaxValue, deployment =>
                        {
                            found = true;
                            return going = Window.Take() ? emit(withApp(deployment)) : !Window.Full;
                        }, observer, token).ConfigureAwait(false);
                        if (!going)
                        {
                            return;
                        }
                    }
                });
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, AppName);
                return;
            }

            var unknown = !found && !WildcardPattern.ContainsWildcardCharacters(AppName)
                && ((AppVersion == null && Query == null) || !Run("Looking for the app's deployments", (observer, token) => AnyDeploymentOfAsync(client, AppName, observer, token)));
            if (unknown)
            {
                WriteFailure(DeploymentApi.Resource.NameNotFound(AppName), AppName);
            }
        }

        /// <summary>
        /// Fills in the app version each deployment serves, which the deployment itself does not carry: from one
        /// listing of the running app versions per command, so only deployments that serve one get it (not those that
        /// failed or were stopped). Should that listing fail on its own, the deployments are written without, and a
        /// warning says why; a failure every request would meet stops the command there, with that one error.
        /// </summary>
        private async Task<Func<KernelDeployment, KernelDeployment>> WithApps(IOperationObserver observer, CancellationToken token)
        {
            if (_appsByDeployment == null)
            {
                var apps = new Dictionary<string, KernelApp>(StringComparer.Ordinal);
                try
                {
                    await _client!.ListAsync(AppApi.Resource, new Query(), 0, long.MaxValue, app => { apps[app.DeploymentId] = app; return true; }, observer, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!token.IsCancellationRequested && KernelCmdlet.IsFailure(ex) && !FailsEveryRequest(ex))
                {
                    observer.Warning($"Could not list the apps to say which one each deployment serves ({ex.Message}); the deployments are written without it.");
                }

                _appsByDeployment = apps;
            }

            var known = _appsByDeployment;
            return deployment => deployment.App == null && known.TryGetValue(deployment.Id, out var app) ? deployment.WithApp(app) : deployment;
        }

        /// <summary>
        /// A failure the deployments' own requests would meet as well (the key refused, a proxy that wants
        /// credentials, an endpoint that cannot be reached): it is the command's one error, not a warning before it.
        /// </summary>
        private static bool FailsEveryRequest(Exception exception) =>
            exception is KernelProxyAuthenticationException || exception is KernelConnectionException
            || (exception is KernelApiException api && (api.StatusCode == System.Net.HttpStatusCode.Unauthorized || api.StatusCode == System.Net.HttpStatusCode.Forbidden));

        /// <summary>Whether the app has any deployment at all (the list's other filters aside).</summary>
        private static async Task<bool> AnyDeploymentOfAsync(KernelApiClient client, string appName, IOperationObserver observer, CancellationToken token)
        {
            var any = false;
            await client.ListAsync(DeploymentApi.Resource, new Query().With("app_name", appName), 0, 1, _ => any = true, observer, token).ConfigureAwait(false);
            return any;
        }
    }
}
