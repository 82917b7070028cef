using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using Kernel.PowerShell.Cmdlets;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>What one script produced, stream by stream.</summary>
public sealed record ScriptResult(
    Collection<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<InformationRecord> Information)
{
    /// <summary>Every stream as text, for "never appears anywhere" checks.</summary>
    public string AllText => string.Join("\n", Output.Select(o => o?.ToString())) + "\n" + OtherStreamsText;

    /// <summary>Every stream but Output as text: errors, verbose, debug, warnings and information.</summary>
    public string OtherStreamsText => string.Join("\n", Errors.Select(e => e.ToString() + " " + e.Exception)
        .Concat(Verbose).Concat(Debug).Concat(Warnings)
        .Concat(Information.Select(i => i.MessageData?.ToString())));
}

/// <summary>A runspace with the module imported, in which tests run the cmdlets the way a script would.</summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>A runspace in a host with no user interface, or in <paramref name="host"/>.</summary>
    public PowerShellSession(PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(ConnectKernelCommand).Assembly.Location);
        _runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
    }

    /// <summary>Connects the runspace's default session to <paramref name="baseUri"/>.</summary>
    public void Connect(Uri baseUri, SecureString apiKey) =>
        Run("param($uri, $key) Connect-Kernel -BaseUri $uri -ApiKey $key", ("uri", baseUri), ("key", apiKey)).ThrowOnError();

    /// <summary>Connects the runspace's default session to the emulator, in a project of its own: nothing another test makes is seen.</summary>
    public void ConnectInOwnProject(EmulatorFixture emulator) =>
        Run(
            "param($uri, $key, $project) Connect-Kernel -BaseUri $uri -ApiKey $key -ProjectId $project",
            ("uri", emulator.BaseUri), ("key", emulator.ApiKey), ("project", "proj-" + Guid.NewGuid().ToString("N")[..10])).ThrowOnError();

    public ScriptResult Run(string script, params (string Name, object? Value)[] parameters)
    {
        using var shell = Start(script, parameters);
        var output = shell.Invoke();
        return Collect(shell, output);
    }

    /// <summary>What Tab offers for <paramref name="input"/>, asking again while the completion cache is still fetching (the first Tab may only start it).</summary>
    public List<string> Complete(string input) => Completions(input).Select(c => c.CompletionText).ToList();

    /// <summary>The Tab completions of <paramref name="input"/>, tooltips included.</summary>
    public List<CompletionResult> Completions(string input)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var completions = Run("param($i) (TabExpansion2 -inputScript $i -cursorColumn $i.Length).CompletionMatches", ("i", input)).ThrowOnError().Output.Select(o => (CompletionResult)o.BaseObject).ToList();
            if (completions.Count > 0)
            {
                return completions;
            }

            Thread.Sleep(100);
        }

        return [];
    }

    /// <summary>A pipeline ready to invoke (for tests that stop it midway).</summary>
    public System.Management.Automation.PowerShell Start(string script, params (string Name, object? Value)[] parameters)
    {
        var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        foreach (var (name, value) in parameters)
        {
            shell.AddParameter(name, value);
        }

        return shell;
    }

    public static ScriptResult Collect(System.Management.Automation.PowerShell shell, Collection<PSObject> output) => new(
        output,
        shell.Streams.Error.ToList(),
        shell.Streams.Verbose.Select(v => v.Message).ToList(),
        shell.Streams.Debug.Select(d => d.Message).ToList(),
        shell.Streams.Warning.Select(w => w.Message).ToList(),
        shell.Streams.Information.ToList());

    public void Dispose() => _runspace.Dispose();
}

public static class ScriptResultExtensions
{
    public static ScriptResult ThrowOnError(this ScriptResult result) =>
        result.Errors.Count == 0 ? result : throw new InvalidOperationException("The script failed: " + result.Errors[0]);

    public static T Single<T>(this ScriptResult result) =>
        Assert.IsType<T>(Assert.Single(result.Output).BaseObject);
}
