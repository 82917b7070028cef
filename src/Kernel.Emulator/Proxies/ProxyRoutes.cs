using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Kernel.Emulator.Store;

namespace Kernel.Emulator.Proxies;

/// <summary>
/// The proxies endpoints (the pinned SDK's proxies.d.ts): create with the settings of each type, list (exact
/// name, query, offset paging), get, rename and delete by id (deleting is soft), and the health check, which
/// answers available unless a check outcome is scripted (POST /_emulator/scripts/proxy-checks).
/// </summary>
public static class ProxyRoutes
{
    public static readonly string[] Types = ["datacenter", "isp", "residential", "mobile", "custom"];

    /// <summary>The settings each type takes in <c>config</c>.</summary>
    private static readonly Dictionary<string, string[]> Settings = new()
    {
        ["datacenter"] = ["country"],
        ["isp"] = ["country"],
        ["residential"] = ["country", "city", "state", "zip", "asn", "os"],
        ["mobile"] = ["country", "city", "state", "zip", "asn", "carrier"],
        ["custom"] = ["host", "port", "username", "password"],
    };

    public static void Map(WebApplication app)
    {
        app.MapPost("/proxies", CreateAsync);
        app.MapGet("/proxies", List);
        app.MapGet("/proxies/{id}", (string id, HttpContext context, World world) =>
            world.FindProxy(ProjectScope.Of(context), id) is { } proxy ? Results.Json(world.Locked(proxy.View), KernelJson.Options) : KernelErrors.NotFound("proxy"));
        app.MapPatch("/proxies/{id}", RenameAsync);
        app.MapDelete("/proxies/{id}", (string id, HttpContext context, World world, TimeProvider clock) =>
        {
            if (world.FindProxy(ProjectScope.Of(context), id) is not { } proxy)
            {
                return KernelErrors.NotFound("proxy");
            }

            lock (world.Gate)
            {
                proxy.DeletedAt = clock.GetUtcNow().UtcDateTime;
            }

            return Results.NoContent();
        });
        app.MapPost("/proxies/{id}/check", CheckAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, World world, TimeProvider clock)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        var fields = new BodyFields(body.RootElement);
        var type = fields.String("type");
        var name = fields.String("name");
        var protocol = fields.String("protocol") ?? "https";
        var bypass = fields.Raw("bypass_hosts", JsonValueKind.Array, "an array of host names");
        var config = fields.Object("config");
        if (fields.Error is { } error)
        {
            return KernelErrors.BadRequest(error);
        }

        if (type is null || !Types.Contains(type))
        {
            return KernelErrors.BadRequest($"type is required and must be one of {string.Join(", ", Types)}");
        }

        if (protocol is not ("http" or "https"))
        {
            return KernelErrors.BadRequest($"invalid protocol '{protocol}': must be http or https");
        }

        var (settings, password, problem) = ReadSettings(type, config, body.RootElement);
        if (problem is not null)
        {
            return KernelErrors.BadRequest(problem);
        }

        var hosts = bypass?.EnumerateArray().Select(h => h.ValueKind == JsonValueKind.String ? h.GetString()! : null).ToList();
        if (hosts?.Any(h => string.IsNullOrWhiteSpace(h)) == true)
        {
            return KernelErrors.BadRequest("bypass_hosts must hold host names");
        }

        var proxy = new ProxyRecord(World.NewId(), ProjectScope.Of(context), type, clock.GetUtcNow().UtcDateTime)
        {
            Name = name,
            Protocol = protocol,
            BypassHosts = hosts?.Cast<string>().ToList() ?? [],
            Settings = settings,
            Password = password,
            IpAddress = type == "custom" && IPAddress.TryParse((string)settings["host"], out var ip) ? ip.ToString() : "198.51.100." + RandomNumberGenerator.GetInt32(1, 255),
        };
        world.Add(proxy);
        return Results.Json(world.Locked(proxy.View), KernelJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The type's settings from <c>config</c>: only those the type takes, a custom proxy's host and port required.</summary>
    private static (Dictionary<string, object> Settings, string? Password, string? Problem) ReadSettings(string type, BodyFields? config, JsonElement body)
    {
        var settings = new Dictionary<string, object>(StringComparer.Ordinal);
        if (config is null)
        {
            return type == "custom" ? (settings, null, "a custom proxy needs config.host and config.port") : (settings, null, null);
        }

        var allowed = Settings[type];
        foreach (var property in body.GetProperty("config").EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                return (settings, null, $"config.{property.Name} is not a setting of a {type} proxy (it takes {string.Join(", ", allowed)})");
            }
        }

        foreach (var setting in allowed.Where(s => s is not ("port" or "password")))
        {
            if (config.String(setting) is { } value)
            {
                settings[setting] = value;
            }
        }

        var port = config.Int("port", 1, 65535);
        var password = config.String("password");
        if (config.Error is { } error)
        {
            return (settings, null, error);
        }

        if (type == "custom")
        {
            if (!settings.ContainsKey("host") || port is null)
            {
                return (settings, null, "a custom proxy needs config.host and config.port");
            }

            settings["port"] = port.Value;
        }

        if (settings.TryGetValue("country", out var country) && ((string)country).Length != 2)
        {
            return (settings, null, $"config.country must be an ISO 3166 two-letter code, not '{country}'");
        }

        if (settings.ContainsKey("city") && !settings.ContainsKey("country"))
        {
            return (settings, null, "config.city needs config.country");
        }

        return (settings, password, null);
    }

    private static IResult List(HttpContext context, World world, string? name, string? query) =>
        Paging.List(context, world, () => world.Proxies(ProjectScope.Of(context))
            .Where(p => string.IsNullOrEmpty(name) || World.SameName(p.Name, name))
            .Where(p => p.Id == query || Paging.Found(query, p.Name, p.IpAddress, p.Settings.GetValueOrDefault("host") as string))
            .Select(p => p.View()));

    private static async Task<IResult> RenameAsync(string id, HttpContext context, World world)
    {
        if (world.FindProxy(ProjectScope.Of(context), id) is not { } proxy)
        {
            return KernelErrors.NotFound("proxy");
        }

        using var body = await JsonBody.ReadObjectAsync(context.Request);
        var name = body is null ? null : JsonBody.Text(body.RootElement, "name")?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 255)
        {
            return KernelErrors.BadRequest("name is required: 1 to 255 characters");
        }

        lock (world.Gate)
        {
            proxy.Name = name;
            return Results.Json(proxy.View(), KernelJson.Options);
        }
    }

    private static async Task<IResult> CheckAsync(string id, HttpContext context, World world, TimeProvider clock)
    {
        if (world.FindProxy(ProjectScope.Of(context), id) is not { } proxy)
        {
            return KernelErrors.NotFound("proxy");
        }

        using var body = await JsonBody.ReadObjectAsync(context.Request, emptyIsObject: true);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        var url = JsonBody.Text(body.RootElement, "url");
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var target) && target.Scheme is "http" or "https"))
        {
            return KernelErrors.BadRequest($"url must be an http or https URL, not '{url}'");
        }

        var status = world.TakeProxyCheck(proxy) ?? "available";
        lock (world.Gate)
        {
            if (url is not null)
            {
                // A check against a site reports, but does not change the proxy's own health.
                return Results.Json(proxy.View(status), KernelJson.Options);
            }

            proxy.Status = status;
            proxy.LastChecked = clock.GetUtcNow().UtcDateTime;
            return Results.Json(proxy.View(), KernelJson.Options);
        }
    }
}
