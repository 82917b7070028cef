using System.Text.Json;
using Kernel.Emulator.Browsers;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Pools;

/// <summary>The configuration a pool's browsers are made with (the API's browser_pool_config), selectors echoed as sent.</summary>
public sealed record BrowserPoolConfigView(
    int Size,
    int FillRatePerMinute,
    int TimeoutSeconds,
    bool Headless,
    bool Stealth,
    bool KioskMode,
    string? Name,
    IReadOnlyDictionary<string, string>? Profile,
    string? ProxyId,
    IReadOnlyList<IReadOnlyDictionary<string, string>>? Extensions,
    ViewportView? Viewport,
    string? StartUrl,
    JsonElement? ChromePolicy,
    bool? RefreshOnProfileUpdate);

/// <summary>The BrowserPool object of the pinned SDK's browser-pools.d.ts.</summary>
public sealed record BrowserPoolView(
    string Id,
    string? Name,
    DateTime CreatedAt,
    int AvailableCount,
    int AcquiredCount,
    BrowserPoolConfigView BrowserPoolConfig,
    IReadOnlyList<string> ExtensionIds,
    string? ProfileId);

/// <summary>
/// A browser pool: its configuration and its browsers, idle (warm, invisible on /browsers) or leased. It fills
/// towards its size at its fill rate, where the emulator's step (--step-delay-ms) stands for a minute. Mutable
/// state changes only under <see cref="World.Gate"/>.
/// </summary>
public sealed class BrowserPoolRecord(string id, string project, string host, DateTime createdAt) : INamedRecord
{
    public const int DefaultFillRate = 25;
    public const int DefaultTimeoutSeconds = 600;

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    public string Project { get; } = project;

    /// <summary>The emulator's own host:port, which the pool's browsers' URLs point at.</summary>
    public string Host { get; } = host;

    public DateTime CreatedAt { get; } = createdAt;

    public string? Name { get; set; }

    public int Size { get; set; }

    public int FillRatePerMinute { get; set; } = DefaultFillRate;

    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    public bool Headless { get; set; }

    public bool Stealth { get; set; }

    public bool KioskMode { get; set; }

    /// <summary>The profile selector as sent ({id} or {name}) and the profile it resolved to.</summary>
    public IReadOnlyDictionary<string, string>? ProfileSelector { get; set; }

    public string? ProfileId { get; set; }

    public string? ProxyId { get; set; }

    /// <summary>The extension selectors as sent and the ids they resolved to, in load order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? ExtensionSelectors { get; set; }

    public IReadOnlyList<string> ExtensionIds { get; set; } = [];

    public ViewportView? Viewport { get; set; }

    public string? StartUrl { get; set; }

    public JsonElement? ChromePolicy { get; set; }

    public bool? RefreshOnProfileUpdate { get; set; }

    /// <summary>Its browsers that have not ended, idle and leased; ended ones are dropped as the pool catches up.</summary>
    public List<BrowserRecord> Members { get; } = [];

    /// <summary>Where the fill clock stands: browsers are added for each whole step since.</summary>
    public DateTime LastFill { get; set; } = createdAt;

    public bool Deleted { get; set; }

    public int Available => Members.Count(m => m.IsActive && !m.Leased);

    public int Acquired => Members.Count(m => m.IsActive && m.Leased);

    /// <summary>Completes at the pool's next change (a release, a flush, a fill): what a waiting acquire wakes on.</summary>
    public Task Changed => _changed.Task;

    /// <summary>Wakes every waiting acquire.</summary>
    public void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    public BrowserPoolView View() => new(
        Id,
        Name,
        CreatedAt,
        Available,
        Acquired,
        new BrowserPoolConfigView(Size, FillRatePerMinute, TimeoutSeconds, Headless, Stealth, KioskMode, Name, ProfileSelector, ProxyId, ExtensionSelectors, Viewport, StartUrl, ChromePolicy, RefreshOnProfileUpdate),
        ExtensionIds,
        ProfileId);
}
