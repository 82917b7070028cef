using Kernel.Emulator.Store;

namespace Kernel.Emulator.Pools;

/// <summary>
/// The browser pools endpoints (the pinned SDK's browser-pools.d.ts): create (201), list (exact name, query, offset
/// paging), get, update and delete by id or name, and acquire, release and flush (see <see cref="BrowserPools"/>).
/// </summary>
public static class BrowserPoolRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/browser_pools", CreateAsync);
        app.MapGet("/browser_pools", (HttpContext context, World world, BrowserPools pools, string? name, string? query) =>
            Paging.List(context, world, () => world.Pools(ProjectScope.Of(context))
                .Where(p => string.IsNullOrEmpty(name) || World.SameName(p.Name, name))
                .Where(p => Paging.Found(query, p.Id, p.Name))
                .Select(pools.View)));
        app.MapGet("/browser_pools/{id}", (string id, HttpContext context, World world, BrowserPools pools) =>
            world.FindPool(ProjectScope.Of(context), id) is { } pool ? Results.Json(pools.View(pool), KernelJson.Options) : KernelErrors.NotFound("browser pool"));
        app.MapPatch("/browser_pools/{id}", (string id, HttpContext context, World world, BrowserPools pools) =>
            WithBodyAsync(context, world, id, emptyIsObject: false, (pool, body) => pools.Update(pool, body) ?? Results.Json(pools.View(pool), KernelJson.Options)));
        app.MapDelete("/browser_pools/{id}", (string id, HttpContext context, World world, BrowserPools pools) =>
            WithBodyAsync(context, world, id, emptyIsObject: true, (pool, body) =>
            {
                var fields = new BodyFields(body);
                var force = fields.Bool("force") ?? false;
                return fields.Error is { } error ? KernelErrors.BadRequest(error) : pools.Delete(pool, force);
            }));
        app.MapPost("/browser_pools/{id}/acquire", async (string id, HttpContext context, World world, BrowserPools pools) =>
        {
            if (world.FindPool(ProjectScope.Of(context), id) is not { } pool)
            {
                return KernelErrors.NotFound("browser pool");
            }

            using var body = await JsonBody.ReadObjectAsync(context.Request, emptyIsObject: true);
            return body is null
                ? KernelErrors.BadRequest("request body must be a JSON object")
                : await pools.AcquireAsync(pool, body.RootElement, context.RequestAborted);
        });
        app.MapPost("/browser_pools/{id}/release", (string id, HttpContext context, World world, BrowserPools pools) =>
            WithBodyAsync(context, world, id, emptyIsObject: false, pools.Release));
        app.MapPost("/browser_pools/{id}/flush", (string id, HttpContext context, World world, BrowserPools pools) =>
        {
            if (world.FindPool(ProjectScope.Of(context), id) is not { } pool)
            {
                return KernelErrors.NotFound("browser pool");
            }

            pools.Flush(pool);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext context, BrowserPools pools)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        var (pool, error) = pools.Create(ProjectScope.Of(context), context.Request.Host.ToString(), body.RootElement);
        return error ?? Results.Json(pools.View(pool!), KernelJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>A request about one pool with a JSON object body: 404 for an unknown pool, 400 for a body that is not an object.</summary>
    private static async Task<IResult> WithBodyAsync(HttpContext context, World world, string id, bool emptyIsObject, Func<BrowserPoolRecord, System.Text.Json.JsonElement, IResult> handle)
    {
        if (world.FindPool(ProjectScope.Of(context), id) is not { } pool)
        {
            return KernelErrors.NotFound("browser pool");
        }

        using var body = await JsonBody.ReadObjectAsync(context.Request, emptyIsObject);
        return body is null ? KernelErrors.BadRequest("request body must be a JSON object") : handle(pool, body.RootElement);
    }
}
