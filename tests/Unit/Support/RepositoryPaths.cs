namespace Kernel.PowerShell.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The emulator as ./build.ps1 Build stages it.</summary>
    public static string Emulator => Path.Combine(Root, "out", "Kernel", "emulator", "Kernel.Emulator.dll");

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
