using System.Text.Json;
using Kernel.Emulator.Extensions;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Browsers;

/// <summary>
/// How browser sessions begin and end, for the browsers endpoints and for invocations (whose actions create
/// browsers). Ending a session is a soft delete: it stops its recordings and, when the session asked to save
/// changes to its profile, writes the profile (the only moment a profile is written).
/// </summary>
public sealed class BrowserSessions(World world, TimeProvider clock)
{
    public const int MinTimeoutSeconds = 10;
    public const int MaxTimeoutSeconds = 259_200;
    public const int MaxTags = 50;
    public const int MaxExtensions = 20;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>A browser for an invocation's action: headless, like those the platform starts for actions.</summary>
    public BrowserRecord StartForInvocation(string project, string invocationId, string host)
    {
        var browser = new BrowserRecord(World.NewId(), project, Now, host) { Headless = true, InvocationId = invocationId };
        world.Add(browser);
        return browser;
    }

    /// <summary>
    /// Creates a session from a POST /browsers body; the error answer when the body asks for something that
    /// cannot be (an unknown profile, proxy or invocation, a taken name, a value out of range).
    /// </summary>
    public (BrowserRecord? Browser, IResult? Error) Create(string project, string host, JsonElement body)
    {
        var fields = new BodyFields(body);
        var headless = fields.Bool("headless") ?? false;
        var gpu = fields.Bool("gpu") ?? false;
        var timeout = fields.Int("timeout_seconds", MinTimeoutSeconds, MaxTimeoutSeconds) ?? 60;
        var startUrl = fields.String("start_url");
        var name = fields.String("name");
        var tags = fields.StringMap("tags", MaxTags);
        var viewport = ReadViewport(fields);
        var profile = fields.Object("profile");
        fields.Adopt(profile);
        var policy = fields.Raw("chrome_policy", JsonValueKind.Object, "an object");
        var invocationId = fields.String("invocation_id");
        var proxyId = fields.String("proxy_id");
        if (gpu && headless)
        {
            fields.Fail("gpu needs a headful browser (headless false)");
        }

        if (startUrl is not null && !IsHttpUrl(startUrl))
        {
            fields.Fail($"start_url must be an http or https URL, not '{startUrl}'");
        }

        var extensionSelectors = fields.Raw("extensions", JsonValueKind.Array, "an array");
        if (fields.Error is { } error)
        {
            return (null, KernelErrors.BadRequest(error));
        }

        lock (world.Gate)
        {
            var (profileRecord, saveChanges, profileError) = ReadProfile(project, profile);
            if (profileError is not null)
            {
                return (null, profileError);
            }

            if (proxyId is { Length: > 0 } && world.FindProxy(project, proxyId) is null)
            {
                return (null, KernelErrors.BadRequest($"proxy '{proxyId}' not found"));
            }

            if (invocationId is not null && world.FindInvocation(project, invocationId) is null)
            {
                return (null, KernelErrors.BadRequest($"invocation '{invocationId}' not found"));
            }

            var (extensionRecords, extensionError) = ReadExtensions(project, extensionSelectors);
            if (extensionError is not null)
            {
                return (null, extensionError);
            }

            if (NameTaken(project, name, null))
            {
                return (null, NameConflict(name!));
            }

            var browser = new BrowserRecord(World.NewId(), project, Now, host)
            {
                Headless = headless,
                Stealth = fields.Bool("stealth") ?? false,
                Gpu = gpu,
                KioskMode = fields.Bool("kiosk_mode") ?? false,
                TimeoutSeconds = timeout,
                StartUrl = startUrl,
                InvocationId = invocationId,
                ChromePolicy = policy,
                Name = string.IsNullOrEmpty(name) ? null : name,
                Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
                ProfileId = profileRecord?.Id,
                SaveProfileChanges = saveChanges,
                ProxyId = string.IsNullOrEmpty(proxyId) ? null : proxyId,
                Viewport = viewport,
                ExtensionIds = extensionRecords.Select(e => e.Id).ToList(),
            };
            if (profileRecord is not null)
            {
                profileRecord.LastUsedAt = Now;
            }

            foreach (var extension in extensionRecords)
            {
                extension.LastUsedAt = Now;
            }

            world.Add(browser);
            if (invocationId is not null)
            {
                world.FindInvocation(project, invocationId)!.Browsers.Add(browser);
            }

            return (browser, null);
        }
    }

    /// <summary>Applies a PATCH /browsers/{id} body; the error answer when it cannot.</summary>
    public IResult? Update(BrowserRecord browser, JsonElement body)
    {
        var fields = new BodyFields(body);
        var name = fields.String("name");
        var tags = fields.StringMap("tags", MaxTags);
        var profile = fields.Object("profile");
        fields.Adopt(profile);
        var proxyId = fields.String("proxy_id");
        var disableDefaultProxy = fields.Bool("disable_default_proxy");
        var viewportFields = fields.Object("viewport");
        var viewport = ReadViewport(fields);
        var force = viewportFields?.Bool("force") ?? false;
        fields.Adopt(viewportFields);
        if (fields.Error is { } error)
        {
            return KernelErrors.BadRequest(error);
        }

        lock (world.Gate)
        {
            if (name is not null && NameTaken(browser.Project, name, browser))
            {
                return NameConflict(name);
            }

            if (profile is not null && browser.ProfileId is not null)
            {
                return KernelErrors.BadRequest("the session already has a profile loaded");
            }

            var (profileRecord, saveChanges, profileError) = ReadProfile(browser.Project, profile);
            if (profileError is not null)
            {
                return profileError;
            }

            if (proxyId is { Length: > 0 } && world.FindProxy(browser.Project, proxyId) is null)
            {
                return KernelErrors.BadRequest($"proxy '{proxyId}' not found");
            }

            if (viewport is not null && !force && browser.Replays.Any(r => r.FinishedAt(Now) is null))
            {
                return KernelErrors.Answer(StatusCodes.Status409Conflict, "conflict", "a replay is recording: resize with viewport.force true to restart it at the new size");
            }

            if (name is not null)
            {
                browser.Name = name.Length == 0 ? null : name;
            }

            if (tags is not null)
            {
                browser.Tags = tags;
            }

            if (profileRecord is not null)
            {
                browser.ProfileId = profileRecord.Id;
                browser.SaveProfileChanges = saveChanges;
                profileRecord.LastUsedAt = Now;
            }

            if (proxyId is not null)
            {
                browser.ProxyId = proxyId.Length == 0 ? null : proxyId;
            }

            browser.DisableDefaultProxy = disableDefaultProxy ?? browser.DisableDefaultProxy;
            if (viewport is not null)
            {
                browser.Viewport = viewport;
                RestartRecording(browser);
            }

            return null;
        }
    }

    /// <summary>
    /// A forced resize of a recording browser: the recording stops and a new one starts at the new size, a separate
    /// replay with what is left of the first one's maximum duration (the SDK's viewport.force).
    /// </summary>
    private void RestartRecording(BrowserRecord browser)
    {
        var now = Now;
        if (browser.Replays.FirstOrDefault(r => r.FinishedAt(now) is null) is not { } recording)
        {
            return;
        }

        recording.Stop(now);
        var left = recording.MaxDurationSeconds is { } max ? Math.Max(1, max - (int)(now - recording.StartedAt).TotalSeconds) : (int?)null;
        browser.Replays.Add(new ReplayRecord(Guid.NewGuid().ToString(), now, left));
    }

    /// <summary>Ends a session: its recordings stop, and its profile is written if it asked to save changes.</summary>
    public void End(BrowserRecord browser)
    {
        lock (world.Gate)
        {
            if (!browser.IsActive)
            {
                return;
            }

            var now = Now;
            browser.DeletedAt = now;
            foreach (var replay in browser.Replays)
            {
                replay.Stop(now);
            }

            if (browser.SaveProfileChanges && browser.ProfileId is not null && world.FindProfile(browser.Project, browser.ProfileId) is { } profile)
            {
                profile.SavedAt = now;
                profile.SavedBy = browser.Id;
                profile.UpdatedAt = now;
            }
        }
    }

    /// <summary>
    /// The extensions a body's <c>extensions</c> selects (each exactly one of id and name, at most 20), in order;
    /// the error answer when one is unknown. Call under <see cref="World.Gate"/>.
    /// </summary>
    public (IReadOnlyList<ExtensionRecord> Extensions, IResult? Error) ReadExtensions(string project, JsonElement? selectors)
    {
        var found = new List<ExtensionRecord>();
        if (selectors is not { } list)
        {
            return (found, null);
        }

        if (list.GetArrayLength() > MaxExtensions)
        {
            return (found, KernelErrors.BadRequest($"extensions holds {list.GetArrayLength()} entries; at most {MaxExtensions} are allowed"));
        }

        foreach (var selector in list.EnumerateArray())
        {
            var id = selector.ValueKind == JsonValueKind.Object ? JsonBody.Text(selector, "id") : null;
            var name = selector.ValueKind == JsonValueKind.Object ? JsonBody.Text(selector, "name") : null;
            if ((id is null) == (name is null))
            {
                return (found, KernelErrors.BadRequest("each of extensions needs exactly one of id and name"));
            }

            var record = world.FindExtension(project, (id ?? name)!);
            if (record is null || (id is not null && record.Id != id))
            {
                return (found, KernelErrors.BadRequest($"extension '{id ?? name}' not found"));
            }

            found.Add(record);
        }

        return (found, null);
    }

    public static ViewportView? ReadViewport(BodyFields fields)
    {
        var viewport = fields.Object("viewport");
        if (viewport is null)
        {
            return null;
        }

        var width = viewport.Int("width", 320, 7680);
        var height = viewport.Int("height", 240, 4320);
        var rate = viewport.Int("refresh_rate", 1, 240);
        if (width is null || height is null)
        {
            viewport.Fail("viewport needs width and height");
        }

        fields.Adopt(viewport);
        return viewport.Error is null ? new ViewportView(width!.Value, height!.Value, rate) : null;
    }

    /// <summary>The profile a body's <c>profile</c> names (exactly one of id and name), and whether to save into it.</summary>
    public (Profiles.ProfileRecord? Profile, bool SaveChanges, IResult? Error) ReadProfile(string project, BodyFields? profile)
    {
        if (profile is null)
        {
            return (null, false, null);
        }

        var id = profile.String("id");
        var name = profile.String("name");
        var save = profile.Bool("save_changes") ?? false;
        if (profile.Error is { } error)
        {
            return (null, false, KernelErrors.BadRequest(error));
        }

        if ((id is null) == (name is null))
        {
            return (null, false, KernelErrors.BadRequest("profile needs exactly one of id and name"));
        }

        var record = world.FindProfile(project, (id ?? name)!);
        return record is null || (id is not null && record.Id != id)
            ? (null, false, KernelErrors.BadRequest($"profile '{id ?? name}' not found"))
            : (record, save, null);
    }

    public bool NameTaken(string project, string? name, BrowserRecord? self) =>
        !string.IsNullOrEmpty(name) && world.Browsers(project).Any(b => b.IsActive && b != self && World.SameName(b.Name, name));

    public static IResult NameConflict(string name) => KernelErrors.NameTaken("an active browser", name);

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
