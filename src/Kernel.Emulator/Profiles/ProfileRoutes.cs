using Kernel.Emulator.Store;

namespace Kernel.Emulator.Profiles;

/// <summary>
/// The profiles endpoints (the pinned SDK's profiles.d.ts): create, list (exact name, query, offset paging), get,
/// rename and delete by id or name, and download. Names are unique in a project, compared without case. A profile
/// that holds no saved state yet answers its download with 202.
/// </summary>
public static class ProfileRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/profiles", CreateAsync);
        app.MapGet("/profiles", List);
        app.MapGet("/profiles/{id}", (string id, HttpContext context, World world) =>
            world.FindProfile(ProjectScope.Of(context), id) is { } profile ? Results.Json(world.Locked(profile.View), KernelJson.Options) : KernelErrors.NotFound("profile"));
        app.MapPatch("/profiles/{id}", RenameAsync);
        app.MapDelete("/profiles/{id}", (string id, HttpContext context, World world) =>
        {
            if (world.FindProfile(ProjectScope.Of(context), id) is not { } profile)
            {
                return KernelErrors.NotFound("profile");
            }

            world.Remove(profile);
            return Results.NoContent();
        });
        app.MapGet("/profiles/{id}/download", Download);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, World world, TimeProvider clock)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request, emptyIsObject: true);
        if (body is null)
        {
            return KernelErrors.BadRequest("request body must be a JSON object");
        }

        var fields = new BodyFields(body.RootElement);
        var name = fields.String("name");
        if (fields.Error is null && name is not null && !World.IsValidName(name))
        {
            fields.Fail(World.InvalidName(name));
        }

        if (fields.Error is { } error)
        {
            return KernelErrors.BadRequest(error);
        }

        var project = ProjectScope.Of(context);
        lock (world.Gate)
        {
            if (name is not null && world.FindProfile(project, name) is not null)
            {
                return NameConflict(name);
            }

            var profile = new ProfileRecord(World.NewId(), project, name, clock.GetUtcNow().UtcDateTime);
            world.Add(profile);
            return Results.Json(profile.View(), KernelJson.Options, statusCode: StatusCodes.Status201Created);
        }
    }

    private static IResult List(HttpContext context, World world, string? name, string? query) =>
        Paging.List(context, world, () => world.Profiles(ProjectScope.Of(context))
            .Where(p => string.IsNullOrEmpty(name) || World.SameName(p.Name, name))
            .Where(p => Paging.Found(query, p.Id, p.Name))
            .Select(p => p.View()));

    private static async Task<IResult> RenameAsync(string id, HttpContext context, World world, TimeProvider clock)
    {
        var project = ProjectScope.Of(context);
        if (world.FindProfile(project, id) is not { } profile)
        {
            return KernelErrors.NotFound("profile");
        }

        using var body = await JsonBody.ReadObjectAsync(context.Request);
        var name = body is null ? null : JsonBody.Text(body.RootElement, "name");
        if (name is null || !World.IsValidName(name))
        {
            return KernelErrors.BadRequest("name is required: " + World.NameRule);
        }

        lock (world.Gate)
        {
            if (world.FindProfile(project, name) is { } other && other != profile)
            {
                return NameConflict(name);
            }

            profile.Name = name;
            profile.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            return Results.Json(profile.View(), KernelJson.Options);
        }
    }

    private static IResult Download(string id, string? format, HttpContext context, World world, TimeProvider clock)
    {
        if (format is not (null or "" or "tar" or "tar.zst"))
        {
            return KernelErrors.BadRequest($"invalid format '{format}': must be tar.zst or tar");
        }

        if (world.FindProfile(ProjectScope.Of(context), id) is not { } profile)
        {
            return KernelErrors.NotFound("profile");
        }

        lock (world.Gate)
        {
            if (world.TakeProfileNotReady(profile, clock.GetUtcNow().UtcDateTime) || profile.SavedAt is null)
            {
                // Exists, but has captured no state yet: use it in a browser that saves changes first.
                return Results.StatusCode(StatusCodes.Status202Accepted);
            }

            var archive = format == "tar" ? ProfileArchive.Tar(profile) : ProfileArchive.TarZst(profile);
            return Results.Bytes(archive, "application/octet-stream", $"{profile.Name ?? profile.Id}.{(format == "tar" ? "tar" : "tar.zst")}");
        }
    }

    private static IResult NameConflict(string name) => KernelErrors.NameTaken("a profile", name);

}
