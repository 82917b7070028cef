using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that upload a folder packed by the module's packer (New-KernelDeployment,
    /// Publish-KernelExtension): the path on the FileSystem provider, -Exclude's patterns, the walk off the
    /// pipeline thread, what was left out on Verbose, a warning for files that look like secrets, and under
    /// -WhatIf -Verbose every file that would go.
    /// </summary>
    public abstract class FolderUploadCmdlet : KernelSessionCmdlet
    {
        private const int ExclusionsListed = 20;

        /// <summary>
        /// -Exclude's patterns: one without a slash matches a name at any depth, one with a slash the path from the
        /// folder (* within one name, ** across folders); case-insensitive.
        /// </summary>
        internal static IEnumerable<PathExclusion> ExcludePatterns(IEnumerable<string> patterns)
        {
            foreach (var text in patterns)
            {
                var pattern = text.Replace('\\', '/').TrimStart('/');
                if (pattern.StartsWith("./", StringComparison.Ordinal))
                {
                    pattern = pattern.Substring(2);
                }

                var segments = pattern.TrimEnd('/').Split('/').Select(segment => segment == "**" ? null : new WildcardPattern(segment, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();
                yield return new PathExclusion(
                    (relative, name) => segments.Length == 1 ? segments[0]?.IsMatch(name) ?? true : MatchesSegments(segments, 0, relative.Split('/'), 0),
                    $"-Exclude '{text}'");
            }
        }

        /// <summary>
        /// Walks the folder off the pipeline thread with <paramref name="scan"/> (which also checks what the upload
        /// needs in it), then reports what was left out and what looks secret. Null, with the error written, when
        /// the folder will not do.
        /// </summary>
        internal AppFolder? ScanFolder(string folder, Func<CancellationToken, AppFolder> scan, string activity)
        {
            AppFolder app;
            try
            {
                app = Run(activity, (observer, token) => Task.FromResult(scan(token))); // Run already runs it off the pipeline thread
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, folder);
                return null;
            }

            ReportExclusions(app);
            WarnAboutSecrets(app);
            return app;
        }

        internal string? ResolveFileSystemPath(string path, bool literal)
        {
            ProviderInfo provider;
            string resolved;
            try
            {
                if (literal)
                {
                    resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                }
                else
                {
                    var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
                    if (matches.Count != 1)
                    {
                        WriteError(ErrorCatalog.Create(ErrorCatalog.AmbiguousPath, ErrorCategory.InvalidArgument, path, $"'{path}' matches {matches.Count} paths; give exactly one."));
                        return null;
                    }

                    resolved = matches[0];
                }
            }
            catch (ItemNotFoundException ex)
            {
                WriteFailure(new PackagingException(PackagingFailure.PathNotFound, path, $"'{path}' does not exist.", ex), path);
                return null;
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is NotSupportedException)
            {
                WriteError(ErrorCatalog.Create(ErrorCatalog.NotFileSystemPath, ErrorCategory.InvalidArgument, path, ex.Message, ex));
                return null;
            }

            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                WriteError(ErrorCatalog.Create(
                    ErrorCatalog.NotFileSystemPath,
                    ErrorCategory.InvalidArgument,
                    resolved,
                    $"'{resolved}' is on the {provider.Name} provider; it must be a file system path."));
                return null;
            }

            return resolved;
        }

        /// <summary>
        /// An -Exclude pattern with slashes against a path, folder by folder: a wildcard matches within one name,
        /// and a ** segment (null here) any number of folders.
        /// </summary>
        private static bool MatchesSegments(WildcardPattern?[] pattern, int p, string[] path, int s)
        {
            if (p == pattern.Length)
            {
                return s == path.Length;
            }

            if (pattern[p] == null)
            {
                return MatchesSegments(pattern, p + 1, path, s) || (s < path.Length && MatchesSegments(pattern, p, path, s + 1));
            }

            return s < path.Length && pattern[p]!.IsMatch(path[s]) && MatchesSegments(pattern, p + 1, path, s + 1);
        }

        /// <summary>Names the files that look like secrets before they leave (also under -WhatIf).</summary>
        private void WarnAboutSecrets(AppFolder app)
        {
            var secrets = SecretFiles.Find(app);
            if (secrets.Count > 0)
            {
                WriteWarning($"About to upload {secrets.Count} file(s) that look like secrets: {string.Join(", ", secrets)}. If they should stay on this machine, list them in .gitignore or .ignore.");
            }
        }

        private void ReportExclusions(AppFolder app)
        {
            if (app.Excluded.Count == 0)
            {
                return;
            }

            var listed = string.Join("; ", app.Excluded.Take(ExclusionsListed).Select(e => e.ToString()));
            var more = app.Excluded.Count > ExclusionsListed ? $"; and {app.Excluded.Count - ExclusionsListed} more" : string.Empty;
            WriteVerbose($"Left out {app.Excluded.Count} path(s): {listed}{more}.");
            foreach (var link in app.Excluded.Where(e => e.Reason.StartsWith("symbolic link", StringComparison.Ordinal)))
            {
                WriteWarning($"Skipped the symbolic link '{link.RelativePath}': links are never followed or uploaded.");
            }

            foreach (var special in app.Excluded.Where(e => e.Reason.EndsWith(AppFolder.NotPacked, StringComparison.Ordinal)))
            {
                WriteWarning($"Skipped '{special.RelativePath}': it is a {special.Reason}.");
            }
        }

        /// <summary>Under -WhatIf, every file that would be uploaded (with its mode in the archive) and every path left out, on Verbose.</summary>
        internal void ListContents(AppFolder app)
        {
            var verbose = MyInvocation.BoundParameters.TryGetValue("Verbose", out var switchValue)
                ? ((SwitchParameter)switchValue).IsPresent
                : GetVariableValue("VerbosePreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue;
            if (!verbose)
            {
                return; // a big app's thousands of lines would be built for nothing
            }

            foreach (var file in app.Files)
            {
                WriteVerbose($"Would upload {file.RelativePath} ({Bytes.Format(file.Length)}, mode {Convert.ToString(file.ArchiveMode(), 8).PadLeft(4, '0')}).");
            }

            foreach (var excluded in app.Excluded)
            {
                WriteVerbose($"Would leave out {excluded}.");
            }
        }
    }
}
