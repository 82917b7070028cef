using System.Diagnostics;
using System.Text;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>
/// A new pwsh process (the repository's pinned PowerShell, through `dotnet pwsh`) with the staged module: for what
/// .NET reads once per process, such as the proxy environment variables.
/// </summary>
public static class FreshPwsh
{
    /// <summary>The staged module, as ./build.ps1 Build leaves it.</summary>
    public static string Module => RepositoryPaths.Module;

    /// <summary>Runs <paramref name="script"/> with these environment variables set (null removes one) and returns its output lines.</summary>
    public static async Task<string[]> RunAsync(string script, IReadOnlyDictionary<string, string?> environment, TimeSpan bound)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", script })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet pwsh could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pwsh did not finish within {bound.TotalSeconds:0} s. Its output: {await output} {await errors}");
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return process.ExitCode == 0 ? lines : throw new InvalidOperationException($"pwsh exited with {process.ExitCode}: {string.Join(" | ", lines)} {await errors}");
    }
}
