using Kernel.Emulator.Store;

namespace Kernel.Emulator.Proxies;

/// <summary>The Proxy object; <c>config</c> holds the settings of its type (a custom proxy's password never comes back).</summary>
public sealed record ProxyView(
    string Id,
    string? Name,
    string Type,
    string Protocol,
    IReadOnlyList<string>? BypassHosts,
    IReadOnlyDictionary<string, object> Config,
    string Status,
    string IpAddress,
    DateTime? LastChecked);

/// <summary>A proxy. Deleting one is soft: it stays recorded but is found no more. State changes under <see cref="World.Gate"/>.</summary>
public sealed class ProxyRecord(string id, string project, string type, DateTime createdAt)
{
    public string Id { get; } = id;

    public string Project { get; } = project;

    public string Type { get; } = type;

    public DateTime CreatedAt { get; } = createdAt;

    public string? Name { get; set; }

    public string Protocol { get; init; } = "https";

    public IReadOnlyList<string> BypassHosts { get; init; } = [];

    /// <summary>The type's settings as sent (country, city, state, zip, asn; host, port, username).</summary>
    public IReadOnlyDictionary<string, object> Settings { get; init; } = new Dictionary<string, object>();

    /// <summary>Write-only: kept to prove it arrived, never shown.</summary>
    public string? Password { get; init; }

    public string IpAddress { get; init; } = "198.51.100.1";

    public string Status { get; set; } = "available";

    public DateTime? LastChecked { get; set; }

    public DateTime? DeletedAt { get; set; }

    public ProxyView View() => View(Status);

    /// <summary>The proxy as a check just found it (a check against a URL reports without storing).</summary>
    public ProxyView View(string status)
    {
        var config = new Dictionary<string, object>(Settings);
        if (Type == "custom")
        {
            config["has_password"] = !string.IsNullOrEmpty(Password);
        }

        return new(Id, Name, Type, Protocol, BypassHosts.Count == 0 ? null : BypassHosts, config, status, IpAddress, LastChecked);
    }
}
