using System.Text.Json;
using Kernel.Emulator.Browsers;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Pools;

/// <summary>
/// How browser pools behave: create and update (the settings a browser takes, checked as for POST /browsers),
/// filling towards the size at the fill rate (a percentage of the size per step, the step standing for a
/// minute), the long-poll acquire that waits for a browser to come free (a release, a fill) or answers 204 at its
/// timeout, release (reused, or ended and replaced), flush (idle browsers only) and delete (refused while
/// browsers are leased, unless forced).
/// </summary>
public sealed class BrowserPools(World world, BrowserSessions sessions, EmulatorOptions options, TimeProvider clock)
{
    public const int MaxAcquireTimeoutSeconds = 3600;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>A pool from a POST /browser_pools body; the error answer when it cannot be.</summary>
    public (BrowserPoolRecord? Pool, IResult? Error) Create(string project, string host, JsonElement body)
    {
        var fields = new BodyFields(body);
        var size = fields.Int("size", 1, int.MaxValue);
        if (fields.Error is null && size is null)
        {
            fields.Fail("size is required");
        }

        var pool = new BrowserPoolRecord(World.NewId(), project, host, Now) { Size = size ?? 1 };
        lock (world.Gate)
        {
            if (Configure(pool, fields, creating: true) is { } error)
            {
                return (null, error);
            }

            world.Add(pool);
            return (pool, null);
        }
    }

    /// <summary>Applies a PATCH body: what it gives replaces what the pool had; the error answer when it cannot.</summary>
    public IResult? Update(BrowserPoolRecord pool, JsonElement body)
    {
        var fields = new BodyFields(body);
        var discard = fields.Bool("discard_all_idle") ?? false;
        lock (world.Gate)
        {
            if (Configure(pool, fields, creating: false) is { } error)
            {
                return error;
            }

            // Browsers beyond a smaller size go first among the idle ones; discard_all_idle ends them all.
            var idle = pool.Members.Where(m => m.IsActive && !m.Leased).ToList();
            var extra = discard ? idle.Count : Math.Max(0, pool.Members.Count(m => m.IsActive) - pool.Size);
            foreach (var browser in idle.AsEnumerable().Reverse().Take(extra))
            {
                sessions.End(browser);
            }

            pool.Signal();
            return null;
        }
    }

    /// <summary>The pool as the API shows it, filled as far as the time since its last fill allows.</summary>
    public BrowserPoolView View(BrowserPoolRecord pool)
    {
        lock (world.Gate)
        {
            CatchUp(pool);
            return pool.View();
        }
    }

    /// <summary>
    /// POST /browser_pools/{id}/acquire: a browser at once when one is idle, else a wait of up to
    /// acquire_timeout_seconds (by default the time the pool takes to fill) for a release or a fill, then 204.
    /// </summary>
    public async Task<IResult> AcquireAsync(BrowserPoolRecord pool, JsonElement body, CancellationToken aborted)
    {
        var fields = new BodyFields(body);
        var timeout = fields.Int("acquire_timeout_seconds", 0, MaxAcquireTimeoutSeconds);
        var name = fields.String("name");
        var tags = fields.StringMap("tags", BrowserSessions.MaxTags);
        var startUrl = fields.String("start_url");
        if (fields.Error is { } error)
        {
            return KernelErrors.BadRequest(error);
        }

        var deadline = Now + (timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeToFill(pool));
        while (true)
        {
            Task changed;
            lock (world.Gate)
            {
                if (pool.Deleted)
                {
                    return KernelErrors.NotFound("browser pool");
                }

                if (!string.IsNullOrEmpty(name) && sessions.NameTaken(pool.Project, name, null))
                {
                    return BrowserSessions.NameConflict(name);
                }

                CatchUp(pool);
                if (pool.Members.FirstOrDefault(m => m.IsActive && !m.Leased) is { } browser)
                {
                    browser.Leased = true;
                    browser.Name = string.IsNullOrEmpty(name) ? null : name;
                    browser.Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal);
                    browser.StartUrl = string.IsNullOrEmpty(startUrl) ? browser.StartUrl : startUrl;
                    foreach (var extensionId in browser.ExtensionIds)
                    {
                        if (world.FindExtension(pool.Project, extensionId) is { } extension)
                        {
                            extension.LastUsedAt = Now;
                        }
                    }

                    return Results.Json(browser.View(world, Now), KernelJson.Options);
                }

                changed = pool.Changed;
            }

            var left = deadline - Now;
            if (left <= TimeSpan.Zero)
            {
                return Results.NoContent();
            }

            // Woken by a release or flush, or at the next fill step, whichever comes first.
            var step = options.StepDelay > TimeSpan.FromMilliseconds(10) ? options.StepDelay : TimeSpan.FromMilliseconds(10);
            await Task.WhenAny(changed, Task.Delay(left < step ? left : step, aborted));
            aborted.ThrowIfCancellationRequested();
        }
    }

    /// <summary>POST /browser_pools/{id}/release: the browser must be leased from this pool; reused, or ended and replaced.</summary>
    public IResult Release(BrowserPoolRecord pool, JsonElement body)
    {
        var fields = new BodyFields(body);
        var sessionId = fields.String("session_id");
        var reuse = fields.Bool("reuse") ?? true;
        if (fields.Error is { } error)
        {
            return KernelErrors.BadRequest(error);
        }

        if (string.IsNullOrEmpty(sessionId))
        {
            return KernelErrors.BadRequest("session_id is required");
        }

        lock (world.Gate)
        {
            if (pool.Members.FirstOrDefault(m => m.Id == sessionId && m.IsActive && m.Leased) is not { } browser)
            {
                return KernelErrors.BadRequest($"browser '{sessionId}' is not leased from pool '{pool.Name ?? pool.Id}'");
            }

            if (reuse)
            {
                browser.Leased = false;
                browser.Name = null;
                browser.Tags = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else
            {
                sessions.End(browser);
            }

            pool.Signal();
            return Results.NoContent();
        }
    }

    /// <summary>POST /browser_pools/{id}/flush: ends the idle browsers; the pool refills from now.</summary>
    public void Flush(BrowserPoolRecord pool)
    {
        lock (world.Gate)
        {
            foreach (var browser in pool.Members.Where(m => m.IsActive && !m.Leased).ToList())
            {
                sessions.End(browser);
            }

            pool.LastFill = Now;
            pool.Signal();
        }
    }

    /// <summary>DELETE /browser_pools/{id}: refused while browsers are leased, unless forced; every browser of the pool ends.</summary>
    public IResult Delete(BrowserPoolRecord pool, bool force)
    {
        lock (world.Gate)
        {
            var leased = pool.Members.Count(m => m.IsActive && m.Leased);
            if (leased > 0 && !force)
            {
                return KernelErrors.BadRequest($"pool '{pool.Name ?? pool.Id}' has {leased} leased browser{(leased == 1 ? string.Empty : "s")}: release them first, or delete with force to end them");
            }

            foreach (var browser in pool.Members.Where(m => m.IsActive).ToList())
            {
                sessions.End(browser);
            }

            pool.Deleted = true;
            world.Remove(pool);
            pool.Signal();
            return Results.NoContent();
        }
    }

    /// <summary>
    /// Adds the browsers the fill rate allows since the last fill (a percentage of the size per step, at least one),
    /// up to the size. A full pool's clock starts again when a place opens. Call under <see cref="World.Gate"/>.
    /// </summary>
    private void CatchUp(BrowserPoolRecord pool)
    {
        pool.Members.RemoveAll(m => !m.IsActive);
        var now = Now;
        var missing = pool.Size - pool.Members.Count;
        if (missing <= 0 || pool.FillRatePerMinute == 0)
        {
            pool.LastFill = now;
            return;
        }

        var steps = options.StepDelay <= TimeSpan.Zero ? missing : (long)((now - pool.LastFill).Ticks / options.StepDelay.Ticks);
        if (steps <= 0)
        {
            return;
        }

        var added = (int)Math.Min(missing, steps * PerStep(pool));
        for (var i = 0; i < added; i++)
        {
            var browser = new BrowserRecord(World.NewId(), pool.Project, now, pool.Host)
            {
                Pool = pool,
                Headless = pool.Headless,
                Stealth = pool.Stealth,
                KioskMode = pool.KioskMode,
                TimeoutSeconds = pool.TimeoutSeconds,
                StartUrl = pool.StartUrl,
                ChromePolicy = pool.ChromePolicy,
                ProfileId = pool.ProfileId,
                ProxyId = pool.ProxyId,
                Viewport = pool.Viewport,
                ExtensionIds = pool.ExtensionIds,
            };
            world.Add(browser);
            pool.Members.Add(browser);
        }

        pool.LastFill = added == missing ? now : pool.LastFill + (options.StepDelay * steps);
        pool.Signal();
    }

    /// <summary>Browsers added per step: the fill rate's share of the size, at least one.</summary>
    private static int PerStep(BrowserPoolRecord pool) => Math.Max(1, (int)Math.Ceiling(pool.Size * pool.FillRatePerMinute / 100.0));

    /// <summary>The API's default acquire timeout: the time the pool takes to fill at its rate.</summary>
    private TimeSpan TimeToFill(BrowserPoolRecord pool) =>
        pool.FillRatePerMinute == 0 ? TimeSpan.Zero : options.StepDelay * Math.Ceiling(pool.Size / (double)PerStep(pool));

    /// <summary>Reads the configuration fields of a create or update body into the pool. Call under <see cref="World.Gate"/>.</summary>
    private IResult? Configure(BrowserPoolRecord pool, BodyFields fields, bool creating)
    {
        var name = fields.String("name");
        var size = creating ? null : fields.Int("size", 1, int.MaxValue);
        var fillRate = fields.Int("fill_rate_per_minute", 0, 100);
        var timeout = fields.Int("timeout_seconds", BrowserSessions.MinTimeoutSeconds, BrowserSessions.MaxTimeoutSeconds);
        var headless = fields.Bool("headless");
        var stealth = fields.Bool("stealth");
        var kiosk = fields.Bool("kiosk_mode");
        var refresh = fields.Bool("refresh_on_profile_update");
        var profile = fields.Object("profile");
        fields.Adopt(profile);
        var proxyId = fields.String("proxy_id");
        var extensions = fields.Raw("extensions", JsonValueKind.Array, "an array");
        var viewport = BrowserSessions.ReadViewport(fields);
        var startUrl = fields.String("start_url");
        var policy = fields.Raw("chrome_policy", JsonValueKind.Object, "an object");
        if (name is { Length: > 0 } && !World.IsValidName(name))
        {
            fields.Fail(World.InvalidName(name));
        }

        if (fields.Error is { } error)
        {
            return KernelErrors.BadRequest(error);
        }

        // Clearing the profile: {"id": ""} on update.
        var clearProfile = !creating && profile is not null && profile.String("id") == string.Empty && profile.String("name") is null;
        var (profileRecord, _, profileError) = profile is null || clearProfile ? (null, false, null) : sessions.ReadProfile(pool.Project, profile);
        var (extensionRecords, extensionError) = sessions.ReadExtensions(pool.Project, extensions);
        var problem = profileError ?? extensionError
            ?? (proxyId is { Length: > 0 } && world.FindProxy(pool.Project, proxyId) is null ? KernelErrors.BadRequest($"proxy '{proxyId}' not found") : null)
            ?? (name is { Length: > 0 } && world.Pools(pool.Project).Any(p => p != pool && World.SameName(p.Name, name))
                ? KernelErrors.NameTaken("a browser pool", name)
                : null);
        if (problem is not null)
        {
            return problem;
        }

        pool.Name = name is { Length: > 0 } ? name : pool.Name;
        pool.Size = size ?? pool.Size;
        pool.FillRatePerMinute = fillRate ?? pool.FillRatePerMinute;
        pool.TimeoutSeconds = timeout ?? pool.TimeoutSeconds;
        pool.Headless = headless ?? pool.Headless;
        pool.Stealth = stealth ?? pool.Stealth;
        pool.KioskMode = kiosk ?? pool.KioskMode;
        if (clearProfile)
        {
            (pool.ProfileSelector, pool.ProfileId, pool.RefreshOnProfileUpdate) = (null, null, null);
        }
        else if (profileRecord is not null)
        {
            // Pooled browsers load the profile read-only: a save_changes sent is ignored, not refused.
            var byId = profile!.String("id") is not null;
            pool.ProfileSelector = new Dictionary<string, string> { [byId ? "id" : "name"] = byId ? profileRecord.Id : profile.String("name")! };
            pool.ProfileId = profileRecord.Id;
            pool.RefreshOnProfileUpdate = refresh ?? true;
        }
        else if (refresh is not null)
        {
            pool.RefreshOnProfileUpdate = pool.ProfileId is null ? null : refresh;
        }

        if (proxyId is not null)
        {
            pool.ProxyId = proxyId.Length == 0 ? null : proxyId;
        }

        if (extensions is { } selectors)
        {
            pool.ExtensionSelectors = selectors.GetArrayLength() == 0 ? null : selectors.EnumerateArray()
                .Select(s => (IReadOnlyDictionary<string, string>)s.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!))
                .ToList();
            pool.ExtensionIds = extensionRecords.Select(e => e.Id).ToList();
        }

        pool.Viewport = viewport ?? pool.Viewport;
        if (startUrl is not null)
        {
            pool.StartUrl = startUrl.Length == 0 ? null : startUrl;
        }

        pool.ChromePolicy = policy ?? pool.ChromePolicy;
        return null;
    }
}
