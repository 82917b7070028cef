using System.Globalization;
using Kernel.Emulator.Store;

namespace Kernel.Emulator;

/// <summary>Command-line settings (ASP.NET Core's own, such as --urls, are read by the host).</summary>
public sealed class EmulatorOptions
{
    public const string ApiKeysVariable = "KERNEL_EMULATOR_API_KEYS";
    public const string ProjectApiKeysVariable = "KERNEL_EMULATOR_PROJECT_API_KEYS";

    /// <summary>
    /// Bearer tokens accepted, each with the id of the project it is scoped to, or null for an org-wide key.
    /// Empty means any non-empty token is accepted, org-wide.
    /// </summary>
    public Dictionary<string, string?> ApiKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Projects that exist. Empty means any project header names a project, its value taken as the id.</summary>
    public List<EmulatorProject> Projects { get; } = [];

    /// <summary>Time between two steps of a deployment or invocation (queued → in_progress → running). Changeable at run time.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Interval of sse_heartbeat events on open streams. Changeable at run time.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Faults given on the command line (--fault JSON), as for POST /_emulator/faults.</summary>
    public List<string> Faults { get; } = [];

    /// <summary>End when this process is gone (the PowerShell that started the emulator).</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>End when standard input closes (its parent held the other end and has gone).</summary>
    public bool ExitOnStdinClose { get; set; }

    /// <summary>Reads our options out of the arguments and returns the rest for the ASP.NET Core host.</summary>
    public static (EmulatorOptions Options, string[] HostArguments) Parse(string[] args)
    {
        var options = new EmulatorOptions();
        var rest = new List<string>();
        var scopedKeys = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--api-key":
                    options.ApiKeys[Value()] = null;
                    break;
                case "--project-api-key":
                    scopedKeys.Add(Value());
                    break;
                case "--step-delay-ms":
                    options.StepDelay = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--heartbeat-ms":
                    options.HeartbeatInterval = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--project-id":
                    options.Projects.Add(new EmulatorProject(Value(), null));
                    break;
                case "--project":
                    var project = Value();
                    var (name, id) = SplitAtLastEquals(project) ?? throw new ArgumentException($"--project takes NAME=ID, not '{project}'.");
                    options.Projects.Add(new EmulatorProject(id, name));
                    break;
                case "--fault":
                    options.Faults.Add(Value());
                    break;
                case "--parent-pid":
                    options.ParentProcessId = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--exit-on-stdin-close":
                    options.ExitOnStdinClose = true;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        foreach (var key in EntriesOf(ApiKeysVariable))
        {
            options.ApiKeys[key] = null;
        }

        foreach (var entry in scopedKeys.Concat(EntriesOf(ProjectApiKeysVariable)))
        {
            // The entry holds a key: it is never echoed.
            var (project, key) = SplitAtLastEquals(entry) ?? throw new ArgumentException($"A project-scoped key (--project-api-key, {ProjectApiKeysVariable}) is given as PROJECT=KEY.");
            options.ApiKeys[key] = options.Projects.Count == 0
                ? project
                : options.FindProject(project)?.Id ?? throw new ArgumentException($"The project-scoped key's project '{project}' is not one of the emulator's projects (--project, --project-id).");
        }

        return (options, rest.ToArray());
    }

    /// <summary>The project with this id, else the one with this exact name; null when neither exists.</summary>
    public EmulatorProject? FindProject(string idOrName) =>
        Projects.FirstOrDefault(p => p.Id == idOrName) ?? Projects.FirstOrDefault(p => p.Name == idOrName);

    private static IEnumerable<string> EntriesOf(string variable) =>
        (Environment.GetEnvironmentVariable(variable) ?? string.Empty).Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"a=b" as (a, b), split at the last '=' (ids and keys have none; a project name may); null when either side is empty.</summary>
    private static (string Left, string Right)? SplitAtLastEquals(string value)
    {
        var at = value.LastIndexOf('=');
        return at > 0 && at < value.Length - 1 ? (value[..at].Trim(), value[(at + 1)..].Trim()) : null;
    }
}
