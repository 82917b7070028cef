using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kernel.Emulator.Profiles;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Browsers;

/// <summary>A browser's window size (the API's BrowserViewport).</summary>
public sealed record ViewportView(int Width, int Height, int? RefreshRate);

public sealed record BrowserUsageView(long UptimeMs);

/// <summary>The pool a browser was acquired from (the API's BrowserPoolRef).</summary>
public sealed record BrowserPoolRefView(string Id, string? Name);

/// <summary>The Browser object of the pinned SDK's browsers.d.ts (create, retrieve, list and update answers).</summary>
public sealed record BrowserView(
    string SessionId,
    string? Name,
    DateTime CreatedAt,
    string CdpWsUrl,
    string WebdriverWsUrl,
    string? BrowserLiveViewUrl,
    string BaseUrl,
    bool Headless,
    bool Stealth,
    bool Gpu,
    bool KioskMode,
    int TimeoutSeconds,
    string Region,
    IReadOnlyDictionary<string, string>? Tags,
    ProfileView? Profile,
    string? ProxyId,
    BrowserPoolRefView? Pool,
    ViewportView? Viewport,
    string? StartUrl,
    JsonElement? ChromePolicy,
    BrowserUsageView Usage,
    DateTime? DeletedAt);

/// <summary>
/// A browser session. Its URLs carry a JWT-shaped token, as Kernel's do. Mutable state changes only under
/// <see cref="World.Gate"/>; a deleted session keeps its record (soft delete) with <see cref="DeletedAt"/> set.
/// </summary>
public sealed class BrowserRecord(string id, string project, DateTime createdAt, string host)
{
    public const string Region = "us-east";

    public string Id { get; } = id;

    public string Project { get; } = project;

    public DateTime CreatedAt { get; } = createdAt;

    /// <summary>The emulator's own host:port, which the session's URLs point at.</summary>
    public string Host { get; } = host;

    public string Token { get; } = NewToken(id, createdAt);

    public bool Headless { get; init; }

    public bool Stealth { get; init; }

    public bool Gpu { get; init; }

    public bool KioskMode { get; init; }

    public int TimeoutSeconds { get; init; } = 60;

    public string? StartUrl { get; set; }

    public string? InvocationId { get; init; }

    public JsonElement? ChromePolicy { get; init; }

    public string? Name { get; set; }

    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    public string? ProfileId { get; set; }

    public bool SaveProfileChanges { get; set; }

    public string? ProxyId { get; set; }

    public bool DisableDefaultProxy { get; set; }

    public ViewportView? Viewport { get; set; }

    /// <summary>The extensions it loaded, in order (ids).</summary>
    public IReadOnlyList<string> ExtensionIds { get; init; } = [];

    /// <summary>The pool it belongs to; null for a browser of its own.</summary>
    public Kernel.Emulator.Pools.BrowserPoolRecord? Pool { get; init; }

    /// <summary>True while acquired from its pool (and for good once it ended while acquired).</summary>
    public bool Leased { get; set; }

    /// <summary>
    /// Whether the browsers endpoints show it: a browser of its own always, a pooled one only while acquired (or
    /// when it ended while acquired). Idle pooled browsers are the pool's, not the project's.
    /// </summary>
    public bool IsVisible => Pool is null || Leased;

    public DateTime? DeletedAt { get; set; }

    public List<ReplayRecord> Replays { get; } = [];

    public bool IsActive => DeletedAt is null;

    public BrowserView View(World world, DateTime now) => new(
        Id,
        Name,
        CreatedAt,
        $"ws://{Host}/browser/cdp?jwt={Token}",
        $"ws://{Host}/browser/webdriver/session?jwt={Token}",
        Headless ? null : $"http://{Host}/browser/live?jwt={Token}",
        $"http://{Host}/browser/kernel",
        Headless,
        Stealth,
        Gpu,
        KioskMode,
        TimeoutSeconds,
        Region,
        Tags.Count == 0 ? null : new Dictionary<string, string>(Tags),
        ProfileId is null ? null : world.FindProfile(Project, ProfileId)?.View(),
        ProxyId,
        Pool is null ? null : new BrowserPoolRefView(Pool.Id, Pool.Name),
        Viewport,
        StartUrl,
        ChromePolicy,
        new BrowserUsageView((long)((DeletedAt ?? now) - CreatedAt).TotalMilliseconds),
        DeletedAt);

    /// <summary>A token shaped like Kernel's JWTs (header.payload.signature); the signature is random.</summary>
    private static string NewToken(string sessionId, DateTime createdAt)
    {
        static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = Base64Url(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { session_id = sessionId, iat = new DateTimeOffset(createdAt).ToUnixTimeSeconds() })));
        return header + "." + payload + "." + Base64Url(RandomNumberGenerator.GetBytes(32));
    }
}

/// <summary>The BrowserReplay object.</summary>
public sealed record ReplayView(string ReplayId, DateTime? StartedAt, DateTime? FinishedAt, string ReplayViewUrl);

/// <summary>A recording of a browser session; it finishes when stopped, at its maximum duration, or when the session ends.</summary>
public sealed class ReplayRecord(string id, DateTime startedAt, int? maxDurationSeconds)
{
    public string Id { get; } = id;

    public DateTime StartedAt { get; } = startedAt;

    public int? MaxDurationSeconds { get; } = maxDurationSeconds;

    private DateTime? _stoppedAt;

    public DateTime? FinishedAt(DateTime now) =>
        _stoppedAt ?? (MaxDurationSeconds is { } max && now >= StartedAt.AddSeconds(max) ? StartedAt.AddSeconds(max) : null);

    public void Stop(DateTime now) => _stoppedAt ??= FinishedAt(now) ?? now;

    public ReplayView View(BrowserRecord browser, DateTime now) =>
        new(Id, StartedAt, FinishedAt(now), $"http://{browser.Host}/browser/replays?jwt={browser.Token}&replay_id={Id}");
}
