using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// The line written after a deployment came up: Kernel's CLI says "App … deployed (version: …)", "Deployment
    /// complete in …" and "Invoke with: kernel invoke …" (kernel-cli.md §2 step 6); this says it in one line, with
    /// what was sent: "App page-title 1.0.0 deployed in 2.1 s (5 files, 2.3 KB); invoke with: Invoke-KernelAction …".
    /// </summary>
    internal static class DeploymentSummary
    {
        /// <summary>The Information tag of the line (the log lines' is <see cref="PipelinePump.LogTag"/>).</summary>
        internal const string Tag = "Kernel";

        private static readonly Regex BareKey = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        /// <param name="took">How long it took; null to leave it out.</param>
        /// <param name="sent">What was sent ("5 files, 2.3 KB"); null to leave it out.</param>
        public static string Describe(KernelDeployment deployment, TimeSpan? took, string? sent)
        {
            var app = deployment.App;
            var line = new StringBuilder(app == null ? $"Deployment {deployment.Id} is running" : $"App {app.AppName} {app.Version} deployed");
            if (took is { } duration)
            {
                line.Append(" in ").Append(Duration(duration));
            }

            if (sent != null)
            {
                line.Append(" (").Append(sent).Append(')');
            }

            if (app != null)
            {
                line.Append(app.Actions.Count == 0 ? "; it has no actions" : "; invoke with: " + InvokeCommand(app.Actions[0]));
            }

            return line.ToString();
        }

        /// <summary>How long Kernel took to bring it up: from its creation to its last change, when both are known.</summary>
        public static TimeSpan? Took(KernelDeployment deployment) =>
            deployment.UpdatedAt is { } updated && updated >= deployment.CreatedAt ? updated - deployment.CreatedAt : (TimeSpan?)null;

        /// <summary>The command that runs the action, with -Version unless it is latest and a -Payload naming the input's fields.</summary>
        internal static string InvokeCommand(KernelAppAction action)
        {
            var command = new StringBuilder("Invoke-KernelAction ")
                .Append(KernelCompleter.Quote(action.AppName)).Append(' ').Append(KernelCompleter.Quote(action.Name));
            if (action.Version != "latest")
            {
                command.Append(" -Version ").Append(KernelCompleter.Quote(action.Version));
            }

            var fields = Member(action.InputSchema, "properties") switch
            {
                IDictionary map => map.Keys.Cast<object>().Select(key => Convert.ToString(key, CultureInfo.InvariantCulture)!).ToList(),
                PSObject properties => properties.Properties.Select(p => p.Name).ToList(),
                _ => new List<string>(),
            };
            if (fields.Count > 0)
            {
                command.Append(" -Payload @{ ")
                    .Append(string.Join("; ", fields.Select(field => (BareKey.IsMatch(field) ? field : "'" + field.Replace("'", "''") + "'") + " = …")))
                    .Append(" }");
            }

            return command.ToString();
        }

        private static object? Member(object? value, string name) => value switch
        {
            IDictionary map => map.Contains(name) ? map[name] : null,
            PSObject custom => custom.Properties[name]?.Value,
            _ => null,
        };

        private static string Duration(TimeSpan duration) =>
            duration < TimeSpan.FromMinutes(1)
                ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
                : $"{(int)duration.TotalMinutes} min {duration.Seconds} s";
    }
}
