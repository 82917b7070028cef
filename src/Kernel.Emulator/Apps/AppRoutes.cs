using Kernel.Emulator.Store;

namespace Kernel.Emulator.Apps;

/// <summary>The AppVersionSummary object of kernel-api.md §7.</summary>
public sealed record AppVersionView(
    string Id,
    string AppName,
    string Version,
    string Region,
    string Deployment,
    IReadOnlyList<AppActionView> Actions,
    IReadOnlyDictionary<string, string> EnvVars);

public sealed record AppActionView(string Name);

/// <summary><c>GET /apps</c>: the app versions that running deployments serve. Apps exist only through deployments.</summary>
public static class AppRoutes
{
    public static void Map(WebApplication app) => app.MapGet("/apps", List);

    public static AppVersionView View(DeploymentRecord deployment) => new(
        World.AppVersionId(deployment.Project, deployment.AppName!, deployment.Version),
        deployment.AppName!,
        deployment.Version,
        DeploymentRecord.Region,
        deployment.Id,
        deployment.Actions.Select(a => new AppActionView(a)).ToList(),
        deployment.RedactedEnvVars);

    private static IResult List(HttpContext context, World world, string? app_name, string? version, string? query)
    {
        if (Paging.TryRead(context.Request, out var limit, out var offset) is { } bad)
        {
            return bad;
        }

        var matches = world.ServingDeployments(ProjectScope.Of(context))
            .Where(d => string.IsNullOrEmpty(app_name) || d.AppName == app_name)
            .Where(d => string.IsNullOrEmpty(version) || d.Version == version)
            .Where(d => string.IsNullOrEmpty(query) || d.AppName!.Contains(query, StringComparison.OrdinalIgnoreCase))
            .Select(View)
            .ToList();
        return Paging.Page(context.Response, matches, limit, offset);
    }
}
