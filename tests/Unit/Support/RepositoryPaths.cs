namespace Kernel.PowerShell.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The emulator as ./build.ps1 Build stages it.</summary>
    public static string Emulator => Staged(Path.Combine("emulator", "Kernel.Emulator.dll"), "Kernel.Emulator");

    /// <summary>The module as ./build.ps1 Build stages it.</summary>
    public static string Module
    {
        get
        {
            Staged("Kernel.PowerShell.dll", "Kernel.PowerShell");
            return Staged("Kernel.psd1", null);
        }
    }

    /// <summary>
    /// A file of the staged module (out/Kernel), which the tests that start the emulator or a fresh pwsh use: a
    /// plain `dotnet test` builds the tests but not that folder, so a missing one, or an assembly older than the
    /// C# sources of <paramref name="project"/>, fails here, saying so, rather than testing yesterday's code.
    /// </summary>
    private static string Staged(string relative, string? project)
    {
        var path = Path.Combine(Root, "out", "Kernel", relative);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run ./build.ps1 Build (or Test) first.");
        }

        if (project != null && File.GetLastWriteTimeUtc(path) < NewestSource(project))
        {
            throw new InvalidOperationException($"{path} is older than the sources of src/{project}: run ./build.ps1 Build again.");
        }

        return path;
    }

    private static DateTime NewestSource(string project)
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Path.Combine(Root, "src", project), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{separator}bin{separator}") && !path.Contains($"{separator}obj{separator}"))
            .Max(File.GetLastWriteTimeUtc);
    }

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kernel.PowerShell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository (no Kernel.PowerShell.sln above " + AppContext.BaseDirectory + ").");
    }
}
