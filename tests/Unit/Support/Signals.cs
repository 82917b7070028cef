using System.Management.Automation;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>Real signals to wait for before acting on a running pipeline, instead of blind sleeps.</summary>
public static class Signals
{
    /// <summary>Completes when the pipeline writes its first progress record: its operation is under way (a wait has its stream open).</summary>
    public static Task FirstProgress(System.Management.Automation.PowerShell shell)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shell.Streams.Progress.DataAdded += (_, _) => written.TrySetResult();
        return written.Task;
    }

    /// <summary>Completes when the pipeline writes its first information record (a script's Write-Information: it got that far).</summary>
    public static Task FirstInformation(System.Management.Automation.PowerShell shell)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shell.Streams.Information.DataAdded += (_, _) => written.TrySetResult();
        return written.Task;
    }

    /// <summary>Waits for <paramref name="signal"/>, failing the test after a generous bound rather than hanging it.</summary>
    public static async Task Within(this Task signal, TimeSpan bound, string what)
    {
        if (await Task.WhenAny(signal, Task.Delay(bound)) != signal)
        {
            throw new TimeoutException($"No sign within {bound.TotalSeconds:0} s that {what}.");
        }
    }
}
