using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kernel.Emulator.Store;
using Kernel.Emulator.Streaming;

namespace Kernel.Emulator.Deployments;

/// <summary>The deployments endpoints of kernel-api.md §6.</summary>
public static partial class DeploymentRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/deployments", CreateAsync);
        app.MapGet("/deployments", List);
        app.MapGet("/deployments/{id}", (string id, HttpContext context, World world) =>
            world.FindDeployment(ProjectScope.Of(context), id) is { } deployment
                ? Results.Json(deployment.View(), KernelJson.Options)
                : KernelErrors.NotFound("deployment"));
        app.MapDelete("/deployments/{id}", Delete);
        app.MapGet("/deployments/{id}/events", FollowAsync);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, World world, DeploymentLifecycle lifecycle, TimeProvider clock)
    {
        if (!request.HasFormContentType)
        {
            return KernelErrors.BadRequest("request body must be multipart/form-data");
        }

        var (form, fileChecksum) = await StreamedForm.ReadAsync(request, request.HttpContext.RequestAborted);
        var project = ProjectScope.Of(request.HttpContext);
        var region = form["region"].ToString();
        if (region.Length > 0 && region != DeploymentRecord.Region)
        {
            return KernelErrors.BadRequest($"invalid region '{region}': must be {DeploymentRecord.Region}");
        }

        var forceText = form["force"].ToString();
        if (forceText.Length > 0 && forceText is not ("true" or "false"))
        {
            return KernelErrors.BadRequest($"invalid force '{forceText}': must be true or false");
        }

        var envVarNames = new SortedSet<string>(StringComparer.Ordinal);
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
                return KernelErrors.BadRequest($"invalid environment variable name '{name}'", new ApiErrorDetail("invalid_input", $"env_vars: '{name}' must match ^[A-Za-z_][A-Za-z0-9_]*$"));
            }

            // Values are accepted and never echoed: API-key callers see every value as "".
            envVarNames.Add(name);
        }

        var version = form["version"].ToString() is { Length: > 0 } v ? v : "latest";
        var file = form.Files.GetFile(StreamedForm.FileField);
        var sourceText = form["source"].ToString();
        string entrypoint;
        DeploymentSource source;
        ArchiveInspection inspection;
        long archiveBytes = 0;
        if (file is not null && sourceText.Length == 0)
        {
            entrypoint = form["entrypoint_rel_path"].ToString();
            if (string.IsNullOrWhiteSpace(entrypoint))
            {
                return KernelErrors.BadRequest("Missing required field: entrypoint_rel_path");
            }

            await using var upload = file.OpenReadStream();
            inspection = ArchiveInspection.Inspect(upload, entrypoint);
            source = new DeploymentSource("file", fileChecksum!);
            archiveBytes = file.Length;
        }
        else if (file is null && sourceText.Length > 0)
        {
            var github = ReadGitHubSource(sourceText, out var error);
            if (github is null)
            {
                return KernelErrors.BadRequest(error!);
            }

            entrypoint = github.Entrypoint;
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{github.Url}@{github.Ref}:{github.Path}")));
            source = new DeploymentSource("github", checksum, github.Url, github.Ref, github.Path);
            inspection = ArchiveInspection.ForGitHub(github.Url, github.Path);
        }
        else
        {
            return KernelErrors.BadRequest("Provide either file and entrypoint_rel_path, or source");
        }

        var appName = inspection.App?.Name;
        DeploymentRecord deployment;
        lock (world.Gate)
        {
            // The spec says only that force "allows overwriting an existing app version"; the emulator reads it as:
            // a label other than "latest" that a live deployment already holds needs force (409 otherwise).
            if (forceText != "true" && version != "latest" && appName is not null && world.VersionTaken(project, appName, version))
            {
                return KernelErrors.Answer(StatusCodes.Status409Conflict, "conflict", $"app '{appName}' version '{version}' already exists; set force to overwrite it");
            }

            deployment = new DeploymentRecord(World.NewId(), project, clock.GetUtcNow().UtcDateTime, entrypoint, version, [.. envVarNames], source, appName, inspection.App?.Actions ?? []);
            world.Add(deployment);

            // A scripted failure belongs to the next deployment created, decided now rather than mid-build,
            // so a build still running from before cannot take it.
            if (inspection.Failure is null && world.TakeDeploymentFailure(appName) is { } scripted)
            {
                inspection = inspection with { Failure = scripted };
            }
        }

        lifecycle.Start(deployment, inspection, archiveBytes);
        return Results.Json(deployment.View(), KernelJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static IResult List(HttpContext context, World world, string? app_name, string? app_version, string? query)
    {
        if (!string.IsNullOrEmpty(app_version) && string.IsNullOrEmpty(app_name))
        {
            return KernelErrors.BadRequest("app_version requires app_name");
        }

        if (Paging.TryRead(context.Request, out var limit, out var offset) is { } bad)
        {
            return bad;
        }

        var matches = world.Deployments(ProjectScope.Of(context))
            .Where(d => string.IsNullOrEmpty(app_name) || d.AppName == app_name)
            .Where(d => string.IsNullOrEmpty(app_version) || d.Version == app_version)
            .Where(d => string.IsNullOrEmpty(query) || d.Id.Contains(query, StringComparison.OrdinalIgnoreCase) || (d.AppName?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false))
            .Select(d => d.View())
            .ToList();
        return Paging.Page(context.Response, matches, limit, offset);
    }

    private static IResult Delete(string id, HttpContext context, World world, DeploymentLifecycle lifecycle)
    {
        var deployment = world.FindDeployment(ProjectScope.Of(context), id);
        if (deployment is null)
        {
            return KernelErrors.NotFound("deployment");
        }

        bool stop;
        lock (world.Gate)
        {
            stop = deployment.Status is not ("failed" or "stopped");
            deployment.Deleted = true;
        }

        if (stop)
        {
            lifecycle.SetStatus(deployment, "stopped", "Deployment deleted");
        }

        return Results.NoContent();
    }

    private static Task FollowAsync(string id, string? since, HttpContext context, World world, EmulatorOptions options, TimeProvider clock) =>
        ServerSentEvents.FollowAsync(context, world.FindDeployment(ProjectScope.Of(context), id)?.Events, "deployment", since, options, clock);

    private sealed record GitHubSource(string Url, string Ref, string Entrypoint, string? Path);

    private static GitHubSource? ReadGitHubSource(string json, out string? error)
    {
        error = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (root.ValueKind != JsonValueKind.Object || Text("type") != "github")
            {
                error = "source.type must be \"github\"";
                return null;
            }

            var url = Text("url");
            var gitRef = Text("ref");
            var entrypoint = Text("entrypoint");
            if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(gitRef) || string.IsNullOrEmpty(entrypoint))
            {
                error = "source requires url, ref and entrypoint";
                return null;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host != "github.com" || url.Contains("/tree/", StringComparison.Ordinal) || url.Contains("/blob/", StringComparison.Ordinal))
            {
                error = $"source.url must be a GitHub repository URL without /tree or /blob, not '{url}'";
                return null;
            }

            if (root.TryGetProperty("auth", out var auth) && (auth.ValueKind != JsonValueKind.Object || !auth.TryGetProperty("method", out var method) || method.GetString() != "github_token"))
            {
                error = "source.auth.method must be \"github_token\"";
                return null;
            }

            return new GitHubSource(url, gitRef, entrypoint, Text("path") is { Length: > 0 } path ? path : null);
        }
        catch (JsonException ex)
        {
            error = "source is not valid JSON: " + ex.Message;
            return null;
        }
    }

    [GeneratedRegex(@"^env_vars(?:\[(?<bracket>[^\]]*)\]|\.(?<dot>.*))$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvVarField();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvVarName();
}
