namespace Kernel.Emulator.Store;

/// <summary>A project of the emulator: its id and, when it was given one, its name.</summary>
public sealed record EmulatorProject(string Id, string? Name);

/// <summary>
/// Which project a request acts in (kernel-api.md §1): X-Kernel-Project-Id names it by id, X-Kernel-Project by id
/// or exact name; with neither, a project-scoped key acts in its own project and an org-wide key in the default
/// project (""). Resources of one project are invisible (404) from another.
/// </summary>
public static class ProjectScope
{
    public const string IdHeader = "X-Kernel-Project-Id";
    public const string IdOrNameHeader = "X-Kernel-Project";
    private const string ItemKey = "kernel.project";

    /// <summary>
    /// Resolves the project of an authorized request whose key is scoped to <paramref name="keyProject"/> (null:
    /// org-wide). Null when it may go on; else the answer: 404 for a project the emulator does not have, 400 when
    /// the two headers name different projects, 403 when a project-scoped key is used for another project.
    /// </summary>
    public static IResult? Resolve(HttpContext context, EmulatorOptions options, string? keyProject)
    {
        string? project = null;
        var byId = context.Request.Headers[IdHeader].ToString().Trim();
        if (byId.Length > 0)
        {
            if (options.Projects.Count > 0 && !options.Projects.Any(p => p.Id == byId))
            {
                return KernelErrors.NotFound($"project '{byId}'");
            }

            project = byId;
        }

        var byIdOrName = context.Request.Headers[IdOrNameHeader].ToString().Trim();
        if (byIdOrName.Length > 0)
        {
            var named = options.Projects.Count == 0 ? byIdOrName : options.FindProject(byIdOrName)?.Id;
            if (named is null)
            {
                return KernelErrors.NotFound($"project '{byIdOrName}'");
            }

            if (project is not null && project != named)
            {
                return KernelErrors.BadRequest($"{IdHeader} '{byId}' and {IdOrNameHeader} '{byIdOrName}' name different projects.");
            }

            project = named;
        }

        if (keyProject is not null)
        {
            if (project is not null && project != keyProject)
            {
                return KernelErrors.Answer(StatusCodes.Status403Forbidden, "forbidden", $"This API key is scoped to project '{keyProject}'; it cannot act in project '{project}'.");
            }

            project = keyProject;
        }

        context.Items[ItemKey] = project ?? string.Empty;
        return null;
    }

    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? string.Empty;
}
