using Kernel.Emulator.Streaming;

namespace Kernel.Emulator.Store;

/// <summary>Where a deployment's code came from: an uploaded archive or a GitHub repository.</summary>
public sealed record DeploymentSource(string Type, string Checksum, string? Url = null, string? Ref = null, string? Path = null);

/// <summary>The Deployment object of kernel-api.md §6.</summary>
public sealed record DeploymentView(
    string Id,
    DateTime CreatedAt,
    string Region,
    string Status,
    string? StatusReason,
    string EntrypointRelPath,
    IReadOnlyDictionary<string, string> EnvVars,
    DateTime? UpdatedAt,
    string SourceType,
    string SourceChecksum,
    string? SourceUrl,
    string? SourceRef,
    string? SourcePath);

/// <summary>A deployment and its events. Mutable state changes only under <see cref="World.Gate"/>.</summary>
public sealed class DeploymentRecord(
    string id,
    string project,
    DateTime createdAt,
    string entrypoint,
    string version,
    IReadOnlyList<string> envVarNames,
    DeploymentSource source,
    string? appName,
    IReadOnlyList<string> actions)
{
    public const string Region = "aws.us-east-1a";

    public string Id { get; } = id;

    public string Project { get; } = project;

    public DateTime CreatedAt { get; } = createdAt;

    public string Entrypoint { get; } = entrypoint;

    public string Version { get; } = version;

    public IReadOnlyList<string> EnvVarNames { get; } = envVarNames;

    public DeploymentSource Source { get; } = source;

    /// <summary>The app the code declares; null when none was found (the build then fails).</summary>
    public string? AppName { get; } = appName;

    public IReadOnlyList<string> Actions { get; } = actions;

    public string Status { get; set; } = "queued";

    public string? StatusReason { get; set; } = "Deployment queued";

    public DateTime UpdatedAt { get; set; } = createdAt;

    /// <summary>Deleted deployments keep answering GET but leave every list.</summary>
    public bool Deleted { get; set; }

    public EventStream Events { get; } = new();

    public bool IsActive => !Deleted && Status is "queued" or "in_progress" or "running";

    public IReadOnlyDictionary<string, string> RedactedEnvVars => EnvVarNames.ToDictionary(n => n, _ => string.Empty, StringComparer.Ordinal);

    public DeploymentView View() => new(
        Id, CreatedAt, Region, Status, StatusReason, Entrypoint, RedactedEnvVars, UpdatedAt,
        Source.Type, Source.Checksum, Source.Url, Source.Ref, Source.Path);
}
