using System.Security.Cryptography;
using System.Text;

namespace Kernel.Emulator.Store;

/// <summary>A scripted result for the next invocations that match (null names match any).</summary>
public sealed record ScriptedInvocation(string? AppName, string? ActionName, string Status, string? Output, int Times = 1);

/// <summary>A scripted failure for the next deployments that match (a null app name matches any).</summary>
public sealed record ScriptedDeploymentFailure(string? AppName, string Reason, int Times = 1);

/// <summary>Build log lines, all with one timestamp, for the next deployments that match (a null app name matches any).</summary>
public sealed record ScriptedDeploymentLog(string? AppName, IReadOnlyList<string> Lines, int Times = 1);

/// <summary>
/// Everything the emulator knows: deployments, the app versions they serve, invocations and scripted outcomes.
/// One lock guards it all; the emulator's load is a test suite's, not production's.
/// </summary>
public sealed partial class World
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private readonly List<DeploymentRecord> _deployments = [];
    private readonly List<InvocationRecord> _invocations = [];
    private readonly List<ScriptedDeploymentFailure> _deploymentFailures = [];
    private readonly List<ScriptedInvocation> _invocationResults = [];
    private readonly List<ScriptedDeploymentLog> _deploymentLogs = [];

    public object Gate { get; } = new();

    public static string NewId() => RandomNumberGenerator.GetString(IdAlphabet, 24);

    /// <summary>A stable id for an app version (project, app, version).</summary>
    public static string AppVersionId(string project, string appName, string version) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(project + "\n" + appName + "\n" + version)))[..24];

    public void Add(DeploymentRecord deployment)
    {
        lock (Gate)
        {
            _deployments.Add(deployment);
        }
    }

    public void Add(InvocationRecord invocation)
    {
        lock (Gate)
        {
            _invocations.Add(invocation);
        }
    }

    public DeploymentRecord? FindDeployment(string project, string id)
    {
        lock (Gate)
        {
            return _deployments.FirstOrDefault(d => d.Id == id && d.Project == project);
        }
    }

    public InvocationRecord? FindInvocation(string project, string id)
    {
        lock (Gate)
        {
            return _invocations.FirstOrDefault(i => i.Id == id && i.Project == project);
        }
    }

    /// <summary>Deployments of a project, newest first, deleted ones left out.</summary>
    public List<DeploymentRecord> Deployments(string project)
    {
        lock (Gate)
        {
            return _deployments.Where(d => d.Project == project && !d.Deleted).Reverse().ToList();
        }
    }

    /// <summary>Invocations of a project, newest first.</summary>
    public List<InvocationRecord> Invocations(string project)
    {
        lock (Gate)
        {
            return _invocations.Where(i => i.Project == project).Reverse().ToList();
        }
    }

    /// <summary>The deployment serving each app version: the newest running one per (app, version).</summary>
    public List<DeploymentRecord> ServingDeployments(string project)
    {
        lock (Gate)
        {
            return _deployments
                .Where(d => d.Project == project && !d.Deleted && d.Status == "running" && d.AppName is not null)
                .GroupBy(d => (d.AppName, d.Version))
                .Select(g => g.MaxBy(d => d.CreatedAt)!)
                .OrderBy(d => d.AppName, StringComparer.Ordinal)
                .ThenBy(d => d.Version, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>True when another live deployment already holds this app version.</summary>
    public bool VersionTaken(string project, string appName, string version)
    {
        lock (Gate)
        {
            return _deployments.Any(d => d.Project == project && d.AppName == appName && d.Version == version && d.IsActive);
        }
    }

    public void Script(ScriptedDeploymentFailure failure)
    {
        lock (Gate)
        {
            _deploymentFailures.Add(failure);
        }
    }

    public void Script(ScriptedDeploymentLog log)
    {
        lock (Gate)
        {
            _deploymentLogs.Add(log);
        }
    }

    public void Script(ScriptedInvocation result)
    {
        lock (Gate)
        {
            _invocationResults.Add(result);
        }
    }

    public void ClearScripts()
    {
        lock (Gate)
        {
            _deploymentFailures.Clear();
            _invocationResults.Clear();
            _deploymentLogs.Clear();
            ClearResourceScripts();
        }
    }

    /// <summary>Takes one use of the first scripted failure that matches the app, if any.</summary>
    public string? TakeDeploymentFailure(string? appName) =>
        TakeOne(_deploymentFailures, f => f.AppName is null || f.AppName == appName, f => f.Times, f => f with { Times = f.Times - 1 })?.Reason;

    /// <summary>Takes one use of the first scripted build log that matches the app, if any.</summary>
    public IReadOnlyList<string>? TakeDeploymentLog(string? appName) =>
        TakeOne(_deploymentLogs, l => l.AppName is null || l.AppName == appName, l => l.Times, l => l with { Times = l.Times - 1 })?.Lines;

    /// <summary>Takes one use of the first scripted invocation result that matches, if any.</summary>
    public ScriptedInvocation? TakeInvocationResult(string appName, string actionName) =>
        TakeOne(_invocationResults, r => (r.AppName is null || r.AppName == appName) && (r.ActionName is null || r.ActionName == actionName), r => r.Times, r => r with { Times = r.Times - 1 });

    /// <summary>Takes one use of the first script that matches: the script as it was before, or null; its last use removes it.</summary>
    private T? TakeOne<T>(List<T> scripts, Predicate<T> matches, Func<T, int> uses, Func<T, T> used)
        where T : class
    {
        lock (Gate)
        {
            var index = scripts.FindIndex(matches);
            if (index < 0)
            {
                return null;
            }

            var script = scripts[index];
            if (uses(script) <= 1)
            {
                scripts.RemoveAt(index);
            }
            else
            {
                scripts[index] = used(script);
            }

            return script;
        }
    }

    /// <summary>Reads records' state under <see cref="Gate"/>, as every answer that shows it must.</summary>
    public T Locked<T>(Func<T> read)
    {
        lock (Gate)
        {
            return read();
        }
    }
}
