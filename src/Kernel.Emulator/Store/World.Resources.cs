using System.Text.RegularExpressions;
using Kernel.Emulator.Browsers;
using Kernel.Emulator.Profiles;
using Kernel.Emulator.Proxies;

namespace Kernel.Emulator.Store;

/// <summary>A scripted answer for the next downloads of a profile (or any): 202 that many times, then ready.</summary>
public sealed record ScriptedProfileDownload(string? Profile, int NotReady);

/// <summary>A scripted outcome for the next health checks of a proxy (or any).</summary>
public sealed record ScriptedProxyCheck(string? Proxy, string Status, int Times = 1);

/// <summary>Browsers, profiles and proxies: found by id or (where the API allows) by name, case-insensitively.</summary>
public sealed partial class World
{
    private readonly List<BrowserRecord> _browsers = [];
    private readonly List<ProfileRecord> _profiles = [];
    private readonly List<ProxyRecord> _proxies = [];
    private readonly List<ScriptedProfileDownload> _profileDownloads = [];
    private readonly List<ScriptedProxyCheck> _proxyChecks = [];

    public void Add(BrowserRecord browser)
    {
        lock (Gate)
        {
            _browsers.Add(browser);
        }
    }

    public void Add(ProfileRecord profile)
    {
        lock (Gate)
        {
            _profiles.Add(profile);
        }
    }

    public void Add(ProxyRecord proxy)
    {
        lock (Gate)
        {
            _proxies.Add(proxy);
        }
    }

    public void Remove(ProfileRecord profile)
    {
        lock (Gate)
        {
            _profiles.Remove(profile);
        }
    }

    /// <summary>Browsers of a project, newest first, ended ones included (idle pooled ones are the pool's: not among them).</summary>
    public List<BrowserRecord> Browsers(string project)
    {
        lock (Gate)
        {
            return _browsers.Where(b => b.Project == project && b.IsVisible).Reverse().ToList();
        }
    }

    /// <summary>An active browser by id or name; with <paramref name="includeDeleted"/> also an ended one (the newest of a name).</summary>
    public BrowserRecord? FindBrowser(string project, string idOrName, bool includeDeleted = false)
    {
        lock (Gate)
        {
            var candidates = Browsers(project).Where(b => includeDeleted || b.IsActive).ToList();
            return candidates.FirstOrDefault(b => b.Id == idOrName)
                ?? candidates.Where(b => b.IsActive).FirstOrDefault(b => SameName(b.Name, idOrName))
                ?? candidates.FirstOrDefault(b => SameName(b.Name, idOrName));
        }
    }

    /// <summary>A browser by id in any project, ended and idle pooled ones included: for the test controls.</summary>
    public BrowserRecord? FindBrowserAnywhere(string id)
    {
        lock (Gate)
        {
            return _browsers.FirstOrDefault(b => b.Id == id);
        }
    }

    /// <summary>Profiles of a project, newest first.</summary>
    public List<ProfileRecord> Profiles(string project) => NewestFirst(_profiles, project);

    public ProfileRecord? FindProfile(string project, string idOrName) => FindByIdOrName(_profiles, project, idOrName);

    /// <summary>Proxies of a project that are not deleted, newest first.</summary>
    public List<ProxyRecord> Proxies(string project)
    {
        lock (Gate)
        {
            return _proxies.Where(p => p.Project == project && p.DeletedAt is null).Reverse().ToList();
        }
    }

    /// <summary>A proxy by id (proxies are not addressed by name); deleted ones are not found.</summary>
    public ProxyRecord? FindProxy(string project, string id)
    {
        lock (Gate)
        {
            return _proxies.FirstOrDefault(p => p.Project == project && p.Id == id && p.DeletedAt is null);
        }
    }

    public static bool SameName(string? name, string? other) =>
        !string.IsNullOrEmpty(name) && string.Equals(name, other, StringComparison.OrdinalIgnoreCase);

    /// <summary>What the API takes as the name of a profile, an extension or a pool.</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    /// <summary>The 400 message for a name <see cref="IsValidName"/> refuses.</summary>
    public static string InvalidName(string name) => $"invalid name '{name}': {NameRule}";

    public const string NameRule = "1 to 255 letters, digits, dots, underscores or hyphens";

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    public void Script(ScriptedProfileDownload download)
    {
        lock (Gate)
        {
            _profileDownloads.Add(download);
        }
    }

    public void Script(ScriptedProxyCheck check)
    {
        lock (Gate)
        {
            _proxyChecks.Add(check);
        }
    }

    /// <summary>
    /// Takes one "not ready" of a scripted download for this profile, if any. When the last one is taken, the
    /// profile becomes ready: it gets a saved state if it had none.
    /// </summary>
    public bool TakeProfileNotReady(ProfileRecord profile, DateTime now)
    {
        lock (Gate)
        {
            var script = TakeOne(_profileDownloads, d => d.Profile is null || d.Profile == profile.Id || SameName(profile.Name, d.Profile), d => d.NotReady, d => d with { NotReady = d.NotReady - 1 });
            if (script?.NotReady <= 1)
            {
                profile.SavedAt ??= now;
                profile.UpdatedAt ??= now;
            }

            return script is not null;
        }
    }

    /// <summary>Takes one use of a scripted check outcome for this proxy, if any.</summary>
    public string? TakeProxyCheck(ProxyRecord proxy) =>
        TakeOne(_proxyChecks, c => c.Proxy is null || c.Proxy == proxy.Id || SameName(proxy.Name, c.Proxy), c => c.Times, c => c with { Times = c.Times - 1 })?.Status;

    private void ClearResourceScripts()
    {
        _profileDownloads.Clear();
        _proxyChecks.Clear();
    }
}
