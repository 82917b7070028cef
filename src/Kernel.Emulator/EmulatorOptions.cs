using System.Globalization;

namespace Kernel.Emulator;

/// <summary>Command-line settings (ASP.NET Core's own, such as --urls, are read by the host).</summary>
public sealed class EmulatorOptions
{
    public const string ApiKeysVariable = "KERNEL_EMULATOR_API_KEYS";

    /// <summary>Bearer tokens accepted. Empty means any non-empty token is accepted.</summary>
    public HashSet<string> ApiKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Project ids that exist. Empty means any X-Kernel-Project-Id names a project.</summary>
    public HashSet<string> ProjectIds { get; } = new(StringComparer.Ordinal);

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
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--api-key":
                    options.ApiKeys.Add(Value());
                    break;
                case "--step-delay-ms":
                    options.StepDelay = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--heartbeat-ms":
                    options.HeartbeatInterval = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--project-id":
                    options.ProjectIds.Add(Value());
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

        var fromEnvironment = Environment.GetEnvironmentVariable(ApiKeysVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            foreach (var key in fromEnvironment.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.ApiKeys.Add(key);
            }
        }

        return (options, rest.ToArray());
    }
}
