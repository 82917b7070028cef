using System.IO.Compression;

namespace Kernel.Emulator.Deployments;

/// <summary>
/// What the emulator learned from an uploaded archive, before it "builds" it. It reads the archive the way a
/// Linux runtime that unpacks as root and runs the app as an unprivileged user would: every entry's mode is
/// looked at (<see cref="ZipEntryModes"/>), an entrypoint that user cannot read (or whose folder it cannot
/// enter) fails the build, and other files it cannot read are named in a warning.
/// </summary>
public sealed record ArchiveInspection(int FileCount, DeclaredApp? App, string? Failure, IReadOnlyList<string> DependencyFiles, IReadOnlyList<string> Warnings)
{
    private const int OtherRead = 0x4;
    private const int OtherExecute = 0x1;
    private const int WarningNames = 5;

    /// <summary>Build log lines scripted for this deployment (<c>/_emulator/scripts/deployment-logs</c>), logged with one timestamp.</summary>
    public IReadOnlyList<string>? ScriptedLog { get; init; }

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
            return new ArchiveInspection(0, null, "The uploaded file is not a valid ZIP archive.", [], []);
        }

        using (archive)
        {
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            var dependencies = files.Select(e => e.FullName).Where(n => DependencyManifests.Contains(n, StringComparer.Ordinal)).ToList();
            var entry = files.FirstOrDefault(e => e.FullName == entrypoint);
            if (entry is null)
            {
                return new ArchiveInspection(files.Count, null, $"Entrypoint '{entrypoint}' was not found in the uploaded archive.", dependencies, []);
            }

            var modes = ZipEntryModes.Read(zip);
            if (modes is null)
            {
                return new ArchiveInspection(files.Count, null, "The uploaded archive's central directory could not be read.", dependencies, []);
            }

            if (Unreachable(modes, entrypoint) is { } unreachable)
            {
                return new ArchiveInspection(files.Count, null, unreachable, dependencies, []);
            }

            var warnings = UnreadableFiles(modes);

            string source;
            try
            {
                using var reader = new StreamReader(entry.Open());
                source = reader.ReadToEnd();
            }
            catch (InvalidDataException ex)
            {
                return new ArchiveInspection(files.Count, null, $"Entrypoint '{entrypoint}' could not be read from the archive: {ex.Message}", dependencies, warnings);
            }

            var app = AppScanner.Scan(source);
            return app is null
                ? new ArchiveInspection(files.Count, null, $"No Kernel app found in '{entrypoint}': declare one with kernel.App(\"name\") in Python or kernel.app('name') in TypeScript.", dependencies, warnings)
                : new ArchiveInspection(files.Count, app, null, dependencies, warnings);
        }
    }

    /// <summary>Why the app's user cannot read the entrypoint, or null when it can.</summary>
    private static string? Unreachable(IReadOnlyList<ZipEntryMode> modes, string entrypoint)
    {
        const string Fix = "Unpacked on Linux, the archive's modes are kept, and a runtime that does not run the app as root cannot read it: files need read permission for others (0644), folders read and execute (0755).";
        var folders = modes.Where(m => m.IsFolder).ToDictionary(m => m.Name, StringComparer.Ordinal);
        for (var slash = entrypoint.IndexOf('/'); slash >= 0; slash = entrypoint.IndexOf('/', slash + 1))
        {
            if (folders.TryGetValue(entrypoint[..(slash + 1)], out var folder) && (folder.Permissions & OtherExecute) == 0)
            {
                return $"Entrypoint '{entrypoint}' cannot be reached by the app's user: its folder '{folder.Name}' has mode {folder.Describe()} in the archive. {Fix}";
            }
        }

        var file = modes.Last(m => m.Name == entrypoint);
        return (file.Permissions & OtherRead) == 0
            ? $"Entrypoint '{entrypoint}' cannot be read by the app's user: it has mode {file.Describe()} in the archive. {Fix}"
            : null;
    }

    private static IReadOnlyList<string> UnreadableFiles(IReadOnlyList<ZipEntryMode> modes)
    {
        var unreadable = modes.Where(m => !m.IsFolder && (m.Permissions & OtherRead) == 0).ToList();
        if (unreadable.Count == 0)
        {
            return [];
        }

        var named = string.Join(", ", unreadable.Take(WarningNames).Select(m => $"{m.Name} ({m.Describe()})"));
        var more = unreadable.Count > WarningNames ? $" and {unreadable.Count - WarningNames} more" : string.Empty;
        return [$"warning: {unreadable.Count} file(s) cannot be read by the app's user: {named}{more}"];
    }

    /// <summary>
    /// A GitHub source is never fetched: the app is named after the repository (or its sub-path) and has no
    /// actions, and the build succeeds unless a failure is scripted.
    /// </summary>
    public static ArchiveInspection ForGitHub(string url, string? path)
    {
        var name = (path?.Trim('/').Split('/').LastOrDefault() is { Length: > 0 } sub ? sub : url.TrimEnd('/').Split('/').Last())
            .Replace(".git", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return new ArchiveInspection(0, new DeclaredApp(name, []), null, [], []);
    }
}
