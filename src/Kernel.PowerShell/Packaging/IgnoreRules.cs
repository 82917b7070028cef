using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// The ignore files in effect for one folder of the walk: those of every folder from the app root down,
    /// the deepest last. As in git, the last pattern that matches decides; <c>.ignore</c> is read after
    /// <c>.gitignore</c> in the same folder, so it wins over it.
    /// </summary>
    internal sealed class IgnoreRules
    {
        internal static readonly string[] FileNames = { ".gitignore", ".ignore" };

        public static readonly IgnoreRules None = new IgnoreRules(null, string.Empty, Array.Empty<IgnorePattern>());

        private readonly IgnoreRules? _parent;
        private readonly string _folder;
        private readonly IReadOnlyList<IgnorePattern> _patterns;

        private IgnoreRules(IgnoreRules? parent, string folder, IReadOnlyList<IgnorePattern> patterns)
        {
            _parent = parent;
            _folder = folder;
            _patterns = patterns;
        }

        /// <summary>
        /// The rules for <paramref name="folderRelativePath"/> ('' for the root): these rules plus the folder's own
        /// ignore files, and at the root the submodule paths of <c>.gitmodules</c>; <paramref name="entries"/> is
        /// what the folder holds, sorted by ordinal name.
        /// </summary>
        public IgnoreRules ForFolder(string folderFullPath, string folderRelativePath, FileSystemInfo[] entries)
        {
            var patterns = new List<IgnorePattern>();
            if (folderRelativePath.Length == 0 && IsRegularFile(Find(entries, ".gitmodules")))
            {
                patterns.AddRange(ReadSubmodulePaths(Path.Combine(folderFullPath, ".gitmodules")));
            }

            foreach (var name in FileNames)
            {
                if (!IsRegularFile(Find(entries, name)))
                {
                    continue;
                }

                var file = Path.Combine(folderFullPath, name);
                var source = folderRelativePath.Length == 0 ? name : folderRelativePath + "/" + name;
                string text;
                try
                {
                    text = File.ReadAllText(file, new UTF8Encoding(false));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new PackagingException(PackagingFailure.FileUnreadable, file, $"Cannot read the ignore file '{file}': {ex.Message} Nothing was uploaded.", ex);
                }

                foreach (var line in text.TrimStart('\uFEFF').Split('\n'))
                {
                    var pattern = IgnorePattern.Parse(line, source);
                    if (pattern != null)
                    {
                        patterns.Add(pattern);
                    }
                }
            }

            return patterns.Count == 0 ? this : new IgnoreRules(this, folderRelativePath, patterns);
        }

        /// <summary>The pattern that excludes the path, or null when it is kept.</summary>
        public IgnorePattern? Excluder(string relativePath, bool isDirectory)
        {
            for (var rules = this; rules != null; rules = rules._parent)
            {
                var local = rules._folder.Length == 0 ? relativePath : relativePath.Substring(rules._folder.Length + 1);
                for (var i = rules._patterns.Count - 1; i >= 0; i--)
                {
                    var pattern = rules._patterns[i];
                    if (pattern.IsMatch(local, isDirectory))
                    {
                        return pattern.Negated ? null : pattern;
                    }
                }
            }

            return null;
        }

        /// <summary>The entry with this exact name, from entries sorted by ordinal name; null when there is none.</summary>
        private static FileSystemInfo? Find(FileSystemInfo[] entries, string name)
        {
            int low = 0, high = entries.Length - 1;
            while (low <= high)
            {
                var middle = (low + high) / 2;
                var order = string.CompareOrdinal(entries[middle].Name, name);
                if (order == 0)
                {
                    return entries[middle];
                }

                if (order < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return null;
        }

        /// <summary>
        /// Ignore files are read only when they are plain files: like git (2.32 on), a link is not followed,
        /// and a named pipe would block the read.
        /// </summary>
        private static bool IsRegularFile(FileSystemInfo? entry) =>
            entry != null
            && (entry.Attributes & (FileAttributes.Directory | FileAttributes.ReparsePoint)) == 0
            && (FileStatus.OfEntry(entry, entry.Attributes)?.Kind ?? EntryKind.RegularFile) == EntryKind.RegularFile;

        private static IEnumerable<IgnorePattern> ReadSubmodulePaths(string gitmodules)
        {
            return File.ReadAllLines(gitmodules)
                .Select(line => line.Trim())
                .Where(line => line.StartsWith("path", StringComparison.Ordinal) && line.IndexOf('=') > 0)
                .Select(line => line.Substring(line.IndexOf('=') + 1).Trim().Trim('/'))
                .Where(path => path.Length > 0)
                .Select(path => IgnorePattern.Parse("/" + path + "/", ".gitmodules")!);
        }
    }
}
