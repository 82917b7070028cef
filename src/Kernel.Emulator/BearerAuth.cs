namespace Kernel.Emulator;

/// <summary>Kernel's bearer-token check: <c>Authorization: Bearer &lt;key&gt;</c> on every request.</summary>
public static class BearerAuth
{
    /// <summary>True for a key the emulator accepts, with the project it is scoped to (null: org-wide).</summary>
    public static bool IsAuthorized(HttpRequest request, EmulatorOptions options, out string? keyProject)
    {
        keyProject = null;
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length > 0 && (options.ApiKeys.Count == 0 || options.ApiKeys.TryGetValue(token, out keyProject));
    }
}
