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
        catch (InvalidDataException)
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
}

/// <summary>
/// Plays a deployment's life the way the real platform reports it (kernel-api.md §5–6): build logs and
/// state changes, then app_version_summary, then running; or failed with a reason.
/// </summary>
public sealed class BuildSimulator(EmulatorOptions options, TimeProvider clock, ILogger<BuildSimulator> logger)
{
    public void Start(DeploymentRecord deployment, ArchiveInspection inspection, long archiveBytes) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await RunAsync(deployment, inspection, archiveBytes);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Simulated build of {Id} crashed", deployment.Id);
                deployment.SetStatus("failed", "Internal emulator error: " + ex.Message, Now);
            }
        });

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task RunAsync(DeploymentRecord deployment, ArchiveInspection inspection, long archiveBytes)
    {
        var view = deployment.View;
        await Task.Delay(options.StepDelay);
        deployment.SetStatus("in_progress", "Deployment in progress", Now);
        deployment.Log($"Received app archive ({inspection.FileCount} files, {archiveBytes} bytes, sha256 {view.SourceChecksum[..12]})", Now);
        deployment.Log($"Building {view.EntrypointRelPath}", Now);
        if (inspection.Failure is not null)
        {
            deployment.Log("error: " + inspection.Failure, Now);
            deployment.SetStatus("failed", inspection.Failure, Now);
            return;
        }

        foreach (var manifest in inspection.DependencyFiles)
        {
            deployment.Log($"Installing dependencies from {manifest}", Now);
        }

        await Task.Delay(options.StepDelay);
        var app = inspection.App!;
        deployment.Log($"Starting app '{app.Name}' with {app.Actions.Count} action(s)", Now);
        deployment.Append(Now, new
        {
            @event = "app_version_summary",
            timestamp = Now,
            id = "av_" + deployment.Id,
            app_name = app.Name,
            version = deployment.AppVersion,
            region = view.Region,
            actions = app.Actions.Select(name => new { name }).ToArray(),
        });
        await Task.Delay(options.StepDelay);
        deployment.SetStatus("running", "Deployment running", Now);
    }
}
