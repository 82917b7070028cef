using Kernel.Emulator.Store;

namespace Kernel.Emulator.Browsers;

/// <summary>
/// The browsers endpoints (the pinned SDK's browsers.d.ts): create, list (status, query, tags, offset paging),
/// get, update and delete by id or name. Deleting is soft: the session ends and stays listable with
/// <c>status=deleted</c> or <c>all</c>.
/// </summary>
public static class BrowserRoutes
{
    private static readonly string[] Statuses = ["active", "deleted", "all"];

    public static void Map(WebApplication app)
    {
        app.MapPost("/browsers", CreateAsync);
        app.MapGet("/browsers", List);
        app.MapGet("/browsers/{id}", (string id, string? include_deleted, HttpContext context, World world, TimeProvider clock) =>
            world.FindBrowser(ProjectScope.Of(context), id, include_deleted == "true") is { } browser
                ? Results.Json(View(browser, world, clock), KernelJson.Options)
                : KernelErrors.NotFound("browser"));
        app.MapPatch("/browsers/{id}", UpdateAsync);
        app.MapDelete("/browsers/{id}", (string id, HttpContext context, World world, BrowserSessions sessions) =>
        {
            if (world.FindBrowser(ProjectScope.Of(context), id) is not { } browser)
            {
                return KernelErrors.NotFound("browser");
            }

            sessions.End(browser);
            return Results.NoContent();
        });
        ReplayRoutes.Map(app);
    }

    public static BrowserView View(BrowserRecord browser, World world, TimeProvider clock) =>
        world.Locked(() => browser.View(world, clock.GetUtcNow().UtcDateTime));

    private static async Task<IResult> CreateAsync(HttpContext context, World world, BrowserSessions sessions, TimeProvider clock)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request, emptyIsObject: true);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        var (browser, error) = sessions.Create(ProjectScope.Of(context), context.Request.Host.ToString(), body.RootElement);
        return error ?? Results.Json(View(browser!, world, clock), KernelJson.Options);
    }

    private static IResult List(HttpContext context, World world, TimeProvider clock, string? status, string? include_deleted, string? query)
    {
        if (!string.IsNullOrEmpty(status) && !Statuses.Contains(status))
        {
            return KernelErrors.BadRequest($"invalid status '{status}': must be one of {string.Join(", ", Statuses)}");
        }

        var scope = string.IsNullOrEmpty(status) ? (include_deleted == "true" ? "all" : "active") : status;
        var tags = TagFilter.Read(context.Request);
        var now = clock.GetUtcNow().UtcDateTime;
        return Paging.List(context, world, () => world.Browsers(ProjectScope.Of(context))
            .Where(b => scope == "all" || (scope == "active") == b.IsActive)
            .Where(b => Paging.Found(query, b.Name, b.Id, b.ProfileId, b.ProxyId))
            .Where(b => tags.All(t => b.Tags.TryGetValue(t.Key, out var value) && value == t.Value))
            .Select(b => b.View(world, now)));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, World world, BrowserSessions sessions, TimeProvider clock)
    {
        if (world.FindBrowser(ProjectScope.Of(context), id) is not { } browser)
        {
            return KernelErrors.NotFound("browser");
        }

        using var body = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        return sessions.Update(browser, body.RootElement) ?? Results.Json(View(browser, world, clock), KernelJson.Options);
    }
}

/// <summary>The <c>tags</c> filter of a list, in the deepObject style: <c>?tags[team]=backend&amp;tags[env]=staging</c> (all must match).</summary>
public static class TagFilter
{
    public static Dictionary<string, string> Read(HttpRequest request)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            if (key.StartsWith("tags[", StringComparison.Ordinal) && key.EndsWith(']'))
            {
                tags[key[5..^1]] = value.ToString();
            }
        }

        return tags;
    }
}
