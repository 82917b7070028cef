using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Tab completion from the session's short-lived cache (-Session if typed, else the runspace's default).
    /// Each answer takes at most about 250 ms; a slow API yields no completions rather than a frozen prompt.
    /// </summary>
    public abstract class KernelCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(250);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var session = SessionFrom(fakeBoundParameters);
            if (session == null || session.IsClosed)
            {
                return Array.Empty<CompletionResult>();
            }

            var (key, fetch) = Source(commandName, parameterName, session.Client, fakeBoundParameters);
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return session.Completions.Get(key, fetch, Budget)
                .Where(item => item.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(item => new CompletionResult(Quote(item.Text), item.Text, CompletionResultType.ParameterValue, item.ToolTip))
                .ToList();
        }

        /// <summary>The cache key and the fetch for the values this completer offers.</summary>
        internal abstract (string Key, Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>> Fetch) Source(string commandName, string parameterName, KernelApiClient client, IDictionary fakeBoundParameters);

        internal static string? Bound(IDictionary parameters, string name) =>
            parameters.Contains(name) ? LanguagePrimitives.ConvertTo<string>(parameters[name]) : null;

        internal static async Task<IReadOnlyList<CompletionItem>> Collect<T>(Func<Func<T, bool>, Task> list, Func<T, CompletionItem> item)
        {
            var items = new List<CompletionItem>();
            await list(x =>
            {
                items.Add(item(x));
                return true;
            }).ConfigureAwait(false);
            return items;
        }

        private static KernelSession? SessionFrom(IDictionary parameters)
        {
            if (parameters.Contains("Session"))
            {
                var value = parameters["Session"];
                return (value is PSObject wrapped ? wrapped.BaseObject : value) as KernelSession;
            }

            try
            {
                return SessionStore.Default;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>A value as it must be typed on a command line: quoted when it holds anything PowerShell would parse.</summary>
        internal static string Quote(string text) =>
            text.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '@', '&', '|', '#', ',' }) < 0 ? text : "'" + text.Replace("'", "''") + "'";
    }

    /// <summary>App names of the running app versions.</summary>
    public sealed class AppNameCompleter : KernelCompleter
    {
        internal override (string, Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>>) Source(string commandName, string parameterName, KernelApiClient client, IDictionary fakeBoundParameters) =>
            ("apps", async token => (await Collect<KernelApp>(
                    emit => client.ListAsync(AppApi.Resource, new Query(), 0, KernelApiClient.MaxPageSize, emit, NullObserver.Instance, token),
                    app => new CompletionItem(app.AppName, app.AppName)).ConfigureAwait(false))
                .GroupBy(i => i.Text, StringComparer.Ordinal)
                .Select(g => new CompletionItem(g.Key, $"{g.Key} (versions: {g.Count()})"))
                .ToList());
    }

    /// <summary>Actions of the app named by -AppName (and -Version), or of every app.</summary>
    public sealed class ActionNameCompleter : KernelCompleter
    {
        internal override (string, Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>>) Source(string commandName, string parameterName, KernelApiClient client, IDictionary fakeBoundParameters)
        {
            var appName = Bound(fakeBoundParameters, "AppName");
            var version = Bound(fakeBoundParameters, "Version");
            return ("actions:" + appName + ":" + version, async token =>
            {
                var apps = new List<KernelApp>();
                await client.ListAsync(AppApi.Resource, new Query().With("app_name", appName).With("version", version), 0, KernelApiClient.MaxPageSize, app => { apps.Add(app); return true; }, NullObserver.Instance, token).ConfigureAwait(false);
                return apps.SelectMany(app => app.Actions)
                    .GroupBy(action => action.Name, StringComparer.Ordinal)
                    .Select(g => new CompletionItem(g.Key, string.Join(", ", g.Select(a => a.AppName + " " + a.Version).Distinct())))
                    .ToList();
            });
        }
    }

    /// <summary>
    /// Ids of the most recent deployments, each with the app version it serves (from the running apps: the
    /// deployment does not say), its status and when it was made; a failed one with its reason.
    /// </summary>
    public sealed class DeploymentIdCompleter : KernelCompleter
    {
        internal override (string, Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>>) Source(string commandName, string parameterName, KernelApiClient client, IDictionary fakeBoundParameters) =>
            ("deployments", async token =>
            {
                var apps = new Dictionary<string, KernelApp>(StringComparer.Ordinal);
                var listingApps = client.ListAsync(AppApi.Resource, new Query(), 0, KernelApiClient.MaxPageSize, app => { apps[app.DeploymentId] = app; return true; }, NullObserver.Instance, token);
                var deployments = new List<KernelDeployment>();
                await Task.WhenAll(
                    listingApps,
                    client.ListAsync(DeploymentApi.Resource, new Query(), 0, KernelApiClient.MaxPageSize, d => { deployments.Add(d); return true; }, NullObserver.Instance, token)).ConfigureAwait(false);
                return deployments.Select(d => new CompletionItem(d.Id, string.Join(", ", new[]
                {
                    apps.TryGetValue(d.Id, out var app) ? $"{app.AppName} {app.Version}" : d.EntrypointRelPath,
                    DeploymentStatus.IsFailure(d.Status) && !string.IsNullOrEmpty(d.StatusReason) ? $"{d.Status}: {d.StatusReason}" : d.Status,
                    "created " + KernelView.Time(d.CreatedAt),
                }.Where(part => !string.IsNullOrEmpty(part))))).ToList();
            });
    }

    /// <summary>Ids of the most recent invocations, each with its app, action, status and start.</summary>
    public sealed class InvocationIdCompleter : KernelCompleter
    {
        internal override (string, Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>>) Source(string commandName, string parameterName, KernelApiClient client, IDictionary fakeBoundParameters) =>
            ("invocations", token => Collect<KernelInvocation>(
                emit => client.ListAsync(InvocationApi.Resource, new Query(), 0, KernelApiClient.MaxPageSize, emit, NullObserver.Instance, token),
                i => new CompletionItem(i.Id, $"{i.AppName}/{i.ActionName}{(i.Version == "latest" ? string.Empty : " " + i.Version)}, {i.Status}, started {KernelView.Time(i.StartedAt)}")));
    }
}
