using System;
using System.Collections.Generic;
using System.Linq;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// What makes a folder or a ZIP an unpacked browser extension Kernel can load: a manifest.json at its top. A
    /// folder is packed with the app packer's rules (hidden files kept, .gitignore/.ignore honoured, links and
    /// special files skipped) plus the names Kernel's CLI leaves out of every extension it uploads
    /// (<c>kernel extensions upload</c>, kernel-cli.md §2.1): development files a browser never loads.
    /// </summary>
    internal static class ExtensionPackage
    {
        public const string Manifest = "manifest.json";

        /// <summary>Left out at any depth, as Kernel's CLI does: a name, or <c>*</c> and a name's ending.</summary>
        public static readonly IReadOnlyList<string> BuiltInExcludes = new[]
        {
            "node_modules", ".git", "__tests__", "coverage", "*.test.js", "*.test.ts", "*.spec.js", "*.spec.ts", "*.log", "*.swp",
        };

        /// <summary>The built-in excludes as the packer's exclusions, each naming itself as the reason.</summary>
        public static IReadOnlyList<PathExclusion> Exclusions { get; } = BuiltInExcludes
            .Select(pattern => new PathExclusion(
                (_, name) => pattern.StartsWith("*", StringComparison.Ordinal) ? name.EndsWith(pattern.Substring(1), StringComparison.Ordinal) : name == pattern,
                $"'{pattern}', left out of every extension as by Kernel's CLI"))
            .ToList();

        /// <summary>
        /// The files of the extension folder that go into the upload: the app packer's walk with the built-in and
        /// the given exclusions; fails unless manifest.json is among them.
        /// </summary>
        public static AppFolder Scan(string root, IReadOnlyList<PathExclusion> exclusions, System.Threading.CancellationToken cancellationToken)
        {
            AppFolder folder;
            try
            {
                folder = AppFolder.Scan(root, cancellationToken, exclusions);
            }
            catch (PackagingException ex) when (ex.Failure == PackagingFailure.EmptyFolder)
            {
                throw Missing(root, $"Nothing in '{root}' would be uploaded (it is empty, or everything in it is left out), so it has no {Manifest}", string.Empty);
            }

            RequireManifest(folder);
            return folder;
        }

        /// <summary>Fails unless the packed folder has manifest.json at its top, saying why it has none.</summary>
        private static void RequireManifest(AppFolder folder)
        {
            if (folder.Files.Any(f => f.RelativePath == Manifest))
            {
                return;
            }

            var excluded = folder.Excluded.FirstOrDefault(e => e.RelativePath == Manifest);
            throw excluded != null
                ? Missing(folder.Root, $"'{folder.Root}' has a {Manifest}, but it would not be uploaded: {excluded}", string.Empty)
                : Missing(folder.Root, $"'{folder.Root}' has no {Manifest} at its top, so it is not an unpacked extension", Nested(folder.Files.Select(f => f.RelativePath), folder.Root));
        }

        /// <summary>Fails unless the ZIP is readable and has manifest.json at its top; returns its file count.</summary>
        public static int CheckArchive(string path)
        {
            var files = ReadyArchive.FileNames(path);
            if (!files.Contains(Manifest, StringComparer.Ordinal))
            {
                throw Missing(path, $"The archive '{path}' has no {Manifest} at its top, so it is not an unpacked extension", Nested(files, null));
            }

            return files.Count;
        }

        private static PackagingException Missing(string target, string message, string hint) =>
            new PackagingException(PackagingFailure.ManifestNotFound, target, $"{message}: Chrome loads an unpacked extension from the folder that holds its {Manifest}.{hint}");

        /// <summary>A hint when the manifest sits one folder down, as when the parent folder was given or zipped.</summary>
        private static string Nested(IEnumerable<string> files, string? root)
        {
            var nested = files.FirstOrDefault(f => f.EndsWith("/" + Manifest, StringComparison.Ordinal) && f.IndexOf('/') == f.Length - Manifest.Length - 1);
            if (nested == null)
            {
                return string.Empty;
            }

            var folder = nested.Substring(0, nested.Length - Manifest.Length - 1);
            return root == null
                ? $" Its {Manifest} is in '{folder}/': zip the extension's own folder, so that {Manifest} is at the top of the archive."
                : $" Did you mean its folder '{System.IO.Path.Combine(root, folder)}'?";
        }
    }
}
