namespace Kernel.Emulator.Store;

/// <summary>
/// Which project a request acts in: the X-Kernel-Project-Id header, or the key's default project ("").
/// Resources of one project are invisible (404) from another.
/// </summary>
public static class ProjectScope
{
    public const string Header = "X-Kernel-Project-Id";
    private const string ItemKey = "kernel.project";

    /// <summary>Resolves the project; false when the header names a project the emulator does not have.</summary>
    public static bool TryResolve(HttpContext context, EmulatorOptions options)
    {
        var project = context.Request.Headers[Header].ToString().Trim();
        if (project.Length > 0 && options.ProjectIds.Count > 0 && !options.ProjectIds.Contains(project))
        {
            return false;
        }

        context.Items[ItemKey] = project;
        return true;
    }

    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? string.Empty;
}
