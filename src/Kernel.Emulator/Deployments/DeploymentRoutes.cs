using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Kernel.Emulator.Deployments;

/// <summary>The deployments endpoints of kernel-api.md §6.</summary>
public static partial class DeploymentRoutes
{
    private const string Region = "aws.us-east-1a";

    public static void Map(WebApplication app)
    {
        app.MapPost("/deployments", CreateAsync);
        app.MapGet("/deployments/{id}", (string id, DeploymentStore store) =>
            store.Find(id) is { } deployment ? Results.Json(deployment.View, KernelJson.Options) : KernelErrors.NotFound("deployment"));
        app.MapGet("/deployments/{id}/events", FollowAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, DeploymentStore store, BuildSimulator simulator, TimeProvider clock)
    {
        if (!request.HasFormContentType)
        {
            return KernelErrors.BadRequest("request body must be multipart/form-data");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return KernelErrors.BadRequest("Missing required field: file");
        }

        var entrypoint = form["entrypoint_rel_path"].ToString();
        if (string.IsNullOrWhiteSpace(entrypoint))
        {
            return KernelErrors.BadRequest("Missing required field: entrypoint_rel_path");
        }

        var region = form["region"].ToString();
        if (region.Length > 0 && region != Region)
        {
            return KernelErrors.BadRequest($"invalid region '{region}': must be {Region}");
        }

        var force = form["force"].ToString();
        if (force.Length > 0 && force is not ("true" or "false"))
        {
            return KernelErrors.BadRequest($"invalid force '{force}': must be true or false");
        }

        var envVars = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in form.Keys)
        {
            var match = EnvVarField().Match(field);
            if (!match.Success)
            {
                continue;
            }

            var name = match.Groups["bracket"].Success ? match.Groups["bracket"].Value : match.Groups["dot"].Value;
            if (!EnvVarName().IsMatch(name))
            {
                return KernelErrors.BadRequest($"invalid environment variable name '{name}'");
            }

            // Values are accepted and never echoed: API-key callers see every value as "".
            envVars[name] = string.Empty;
        }

        var version = form["version"].ToString();
        await using var upload = file.OpenReadStream();
        var checksum = Convert.ToHexStringLower(await SHA256.HashDataAsync(upload, request.HttpContext.RequestAborted));
        upload.Position = 0;
        var inspection = ArchiveInspection.Inspect(upload, entrypoint);

        var now = clock.GetUtcNow().UtcDateTime;
        var deployment = store.Add(id => new DeploymentRecord(
            new DeploymentView(id, now, Region, "queued", "Deployment queued", entrypoint, envVars, now, "file", checksum),
            string.IsNullOrEmpty(version) ? "latest" : version));
        deployment.SetStatus("queued", "Deployment queued", now);
        simulator.Start(deployment, inspection, file.Length);
        return Results.Json(deployment.View, KernelJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task FollowAsync(string id, string? since, HttpContext context, DeploymentStore store, EmulatorOptions options, TimeProvider clock)
    {
        var deployment = store.Find(id);
        if (deployment is null)
        {
            await KernelErrors.NotFound("deployment").ExecuteAsync(context);
            return;
        }

        if (!EventTime.TryParseSince(since, clock.GetUtcNow().UtcDateTime, out var from))
        {
            await KernelErrors.BadRequest($"invalid since '{since}': use an RFC 3339 time or a duration such as 5m").ExecuteAsync(context);
            return;
        }

        var (past, live) = deployment.Follow(from);
        try
        {
            await ServerSentEvents.StreamAsync(context, past, live, options.HeartbeatInterval, clock);
        }
        finally
        {
            if (live is not null)
            {
                deployment.Unfollow(live);
            }
        }
    }

    [GeneratedRegex(@"^env_vars(?:\[(?<bracket>[^\]]*)\]|\.(?<dot>.*))$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvVarField();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvVarName();
}
