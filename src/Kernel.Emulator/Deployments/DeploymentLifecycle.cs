using Kernel.Emulator.Store;

namespace Kernel.Emulator.Deployments;

/// <summary>
/// Plays a deployment's life the way the real platform reports it (kernel-api.md §5–6): build logs and state
/// changes, then app_version_summary, then running; or failed with a reason. Reaching running supersedes the
/// app version's previous deployment, which stops.
/// </summary>
public sealed class DeploymentLifecycle(World world, EmulatorOptions options, TimeProvider clock, ILogger<DeploymentLifecycle> logger)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public void Start(DeploymentRecord deployment, ArchiveInspection inspection, long archiveBytes)
    {
        SetStatus(deployment, "queued", "Deployment queued");
        _ = Task.Run(async () =>
        {
            try
            {
                await RunAsync(deployment, inspection, archiveBytes);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Simulated build of {Id} crashed", deployment.Id);
                SetStatus(deployment, "failed", "Internal emulator error: " + ex.Message);
            }
        });
    }

    /// <summary>Changes the state and publishes deployment_state; failed and stopped end the stream.</summary>
    public void SetStatus(DeploymentRecord deployment, string status, string? reason)
    {
        lock (world.Gate)
        {
            var now = Now;
            deployment.Status = status;
            deployment.StatusReason = reason;
            deployment.UpdatedAt = now;
            deployment.Events.Publish(now, new { @event = "deployment_state", timestamp = now, deployment = deployment.View() }, status is "failed" or "stopped");
        }
    }

    private void Log(DeploymentRecord deployment, string message)
    {
        var now = Now;
        deployment.Events.Publish(now, new { @event = "log", timestamp = now, message = message + "\n" });
    }

    private async Task RunAsync(DeploymentRecord deployment, ArchiveInspection inspection, long archiveBytes)
    {
        await Task.Delay(options.StepDelay);
        if (deployment.Deleted)
        {
            return;
        }

        SetStatus(deployment, "in_progress", "Deployment in progress");
        Log(deployment, deployment.Source.Type == "github"
            ? $"Using {deployment.Source.Url} at {deployment.Source.Ref} (not fetched: emulated build)"
            : $"Received app archive ({inspection.FileCount} files, {archiveBytes} bytes, sha256 {deployment.Source.Checksum[..12]})");
        Log(deployment, $"Building {deployment.Entrypoint}");
        foreach (var warning in inspection.Warnings)
        {
            Log(deployment, warning);
        }

        if (inspection.ScriptedLog is { } lines)
        {
            // One timestamp for all of them, as a build tool's burst of output can have.
            var at = Now;
            foreach (var line in lines)
            {
                deployment.Events.Publish(at, new { @event = "log", timestamp = at, message = line + "\n" });
            }
        }

        var failure = inspection.Failure;
        if (failure is not null)
        {
            Log(deployment, "error: " + failure);
            SetStatus(deployment, "failed", failure);
            return;
        }

        foreach (var manifest in inspection.DependencyFiles)
        {
            Log(deployment, $"Installing dependencies from {manifest}");
        }

        await Task.Delay(options.StepDelay);
        if (deployment.Deleted)
        {
            return;
        }

        var app = inspection.App!;
        Log(deployment, $"Starting app '{app.Name}' with {app.Actions.Count} action(s)");
        var summaryTime = Now;
        deployment.Events.Publish(summaryTime, new
        {
            @event = "app_version_summary",
            timestamp = summaryTime,
            id = World.AppVersionId(deployment.Project, app.Name, deployment.Version),
            app_name = app.Name,
            version = deployment.Version,
            region = DeploymentRecord.Region,
            actions = app.Actions.Select(name => new { name }).ToArray(),
        });
        await Task.Delay(options.StepDelay);
        if (deployment.Deleted)
        {
            return;
        }

        List<DeploymentRecord> superseded;
        lock (world.Gate)
        {
            superseded = world.Deployments(deployment.Project)
                .Where(d => d != deployment && d.AppName == app.Name && d.Version == deployment.Version && d.Status == "running")
                .ToList();
            SetStatus(deployment, "running", "Deployment running");
        }

        foreach (var old in superseded)
        {
            SetStatus(old, "stopped", $"Superseded by deployment {deployment.Id}");
        }
    }
}
