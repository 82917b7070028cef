using System.IO.Compression;

namespace Kernel.Emulator.Deployments;

/// <summary>What the emulator learned from an uploaded archive, before it "builds" it.</summary>
public sealed record ArchiveInspection(int FileCount, DeclaredApp? App, string? Failure, IReadOnlyList<string> DependencyFiles)
{
    private static readonly string[] DependencyManifests = ["requirements.txt", "pyproject.toml", "package.json", "uv.lock", "package-lock.json", "bun.lock"];

    /// <summary>Opens the ZIP, finds the entrypoint and reads the app it declares.</summary>
    public static ArchiveInspection Inspect(Stream zip, string entrypoint)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            return new ArchiveInspection(0, null, "The uploaded file is not a valid ZIP archive.", []);
        }

        using (archive)
        {
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            var dependencies = files.Select(e => e.FullName).Where(n => DependencyManifests.Contains(n, StringComparer.Ordinal)).ToList();
            var entry = files.FirstOrDefault(e => e.FullName == entrypoint);
            if (entry is null)
            {
                return new ArchiveInspection(files.Count, null, $"Entrypoint '{entrypoint}' was not found in the uploaded archive.", dependencies);
            }

            string source;
            try
            {
                using var reader = new StreamReader(entry.Open());
                source = reader.ReadToEnd();
            }
            catch (InvalidDataException ex)
            {
                return new ArchiveInspection(files.Count, null, $"Entrypoint '{entrypoint}' could not be read from the archive: {ex.Message}", dependencies);
            }

            var app = AppScanner.Scan(source);
            return app is null
                ? new ArchiveInspection(files.Count, null, $"No Kernel app found in '{entrypoint}': declare one with kernel.App(\"name\") in Python or kernel.app('name') in TypeScript.", dependencies)
                : new ArchiveInspection(files.Count, app, null, dependencies);
        }
    }

    /// <summary>
    /// A GitHub source is never fetched: the app is named after the repository (or its sub-path) and has no
    /// actions, and the build succeeds unless a failure is scripted.
    /// </summary>
    public static ArchiveInspection ForGitHub(string url, string? path)
    {
        var name = (path?.Trim('/').Split('/').LastOrDefault() is { Length: > 0 } sub ? sub : url.TrimEnd('/').Split('/').Last())
            .Replace(".git", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return new ArchiveInspection(0, new DeclaredApp(name, []), null, []);
    }
}
