using System.Text.RegularExpressions;

namespace Kernel.Emulator.Deployments;

/// <summary>An app and its actions, as declared in the entrypoint's source.</summary>
public sealed record DeclaredApp(string Name, IReadOnlyList<string> Actions);

/// <summary>
/// Finds the app an entrypoint declares, the way Kernel's templates write one:
/// Python <c>app = kernel.App("name")</c> with <c>@app.action("name")</c>; TypeScript/JavaScript
/// <c>const app = kernel.app('name')</c> with <c>app.action('name', …)</c>.
/// </summary>
public static partial class AppScanner
{
    public static DeclaredApp? Scan(string source)
    {
        var app = PythonApp().Match(source);
        if (!app.Success)
        {
            app = ScriptApp().Match(source);
        }

        if (!app.Success)
        {
            return null;
        }

        var variable = Regex.Escape(app.Groups["var"].Value);
        var actions = new Regex(variable + @"\s*\.\s*action\s*(?:<[^>()]*>)?\s*\(\s*(?<q>[""'`])(?<name>[^""'`]+)\k<q>", RegexOptions.CultureInvariant)
            .Matches(source)
            .Select(m => m.Groups["name"].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new DeclaredApp(app.Groups["name"].Value, actions);
    }

    [GeneratedRegex(@"(?<var>[A-Za-z_]\w*)\s*(?::\s*[\w.\[\]]+\s*)?=\s*(?:kernel\s*\.\s*)?App\s*\(\s*(?:name\s*=\s*)?(?<q>[""'])(?<name>[^""']+)\k<q>", RegexOptions.CultureInvariant)]
    private static partial Regex PythonApp();

    [GeneratedRegex(@"(?<var>[A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>]+\s*)?=\s*[A-Za-z_$][\w$]*\s*\.\s*app\s*\(\s*(?<q>[""'`])(?<name>[^""'`]+)\k<q>", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptApp();
}
