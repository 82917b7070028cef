using Kernel.Emulator.Browsers;
using Kernel.Emulator.Streaming;

namespace Kernel.Emulator.Store;

/// <summary>The Invocation object of kernel-api.md §8.</summary>
public sealed record InvocationView(
    string Id,
    string AppName,
    string Version,
    string ActionName,
    string? Payload,
    string? Output,
    DateTime StartedAt,
    DateTime? FinishedAt,
    string Status,
    string? StatusReason);

/// <summary>An invocation and its events. Mutable state changes only under <see cref="World.Gate"/>.</summary>
public sealed class InvocationRecord(string id, string project, DeploymentRecord deployment, string actionName, string? payload, DateTime startedAt)
{
    public string Id { get; } = id;

    public string Project { get; } = project;

    public DeploymentRecord Deployment { get; } = deployment;

    public string ActionName { get; } = actionName;

    public string? Payload { get; } = payload;

    public DateTime StartedAt { get; } = startedAt;

    /// <summary>The scripted result this invocation was created under, if any.</summary>
    public ScriptedInvocation? Scripted { get; init; }

    public string Status { get; set; } = "queued";

    public string? StatusReason { get; set; }

    public string? Output { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>The browsers its action created (ended ones stay, soft-deleted).</summary>
    public List<BrowserRecord> Browsers { get; } = [];

    public EventStream Events { get; } = new();

    public bool IsFinished => Status is "succeeded" or "failed";

    public InvocationView View() => new(
        Id, Deployment.AppName!, Deployment.Version, ActionName, Payload, Output, StartedAt, FinishedAt, Status, StatusReason);
}
