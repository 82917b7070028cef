namespace Kernel.PowerShell.Tests.Support;

/// <summary>A scratch folder for an app tree, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kernel-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file (creating its folders); the path is '/'-separated and relative.</summary>
    public TempFolder With(string relativePath, string content = "x")
    {
        var full = System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// Tests that look for leftover temporary archives (kernel-*.zip in the temp folder) run one at a time, with
/// every other test that writes one: in parallel, one would see another's file.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TemporaryArchives
{
    public const string Name = "Temporary archives";
}
