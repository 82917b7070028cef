using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>A file that goes into the archive.</summary>
    internal sealed class AppFile
    {
        public AppFile(string relativePath, string fullPath, long length, DateTime lastWriteTime)
        {
            RelativePath = relativePath;
            FullPath = fullPath;
            Length = length;
            LastWriteTime = lastWriteTime;
        }

        /// <summary>'/'-separated, relative to the app folder.</summary>
        public string RelativePath { get; }

        public string FullPath { get; }

        public long Length { get; }

        public DateTime LastWriteTime { get; }
    }

    /// <summary>Something the walk left out, and why.</summary>
    internal sealed class ExcludedPath
    {
        public ExcludedPath(string relativePath, bool isDirectory, string reason)
        {
            RelativePath = relativePath;
            IsDirectory = isDirectory;
            Reason = reason;
        }

        public string RelativePath { get; }

        public bool IsDirectory { get; }

        public string Reason { get; }

        public override string ToString() => RelativePath + (IsDirectory ? "/" : string.Empty) + " (" + Reason + ")";
    }

    /// <summary>
    /// The files of an app folder that a deploy uploads, chosen the way Kernel's CLI chooses them
    /// (kernel-cli.md §2.1): hidden files kept, .gitignore/.ignore honoured at every depth, submodules left out,
    /// empty folders dropped. Symbolic links are never followed: they are left out and listed in
    /// <see cref="Excluded"/>, so an archive can never reach outside the folder.
    /// </summary>
    internal sealed class AppFolder
    {
        private AppFolder(string root, IReadOnlyList<AppFile> files, IReadOnlyList<ExcludedPath> excluded)
        {
            Root = root;
            Files = files;
            Excluded = excluded;
        }

        public string Root { get; }

        /// <summary>In a stable order: ordinal by path within each folder, files before subfolders' files.</summary>
        public IReadOnlyList<AppFile> Files { get; }

        public IReadOnlyList<ExcludedPath> Excluded { get; }

        public long TotalBytes => Files.Sum(f => f.Length);

        public static AppFolder Scan(string root, CancellationToken cancellationToken)
        {
            if (File.Exists(root))
            {
                throw new PackagingException(PackagingFailure.NotAFolder, root, $"'{root}' is a file; -Path takes the app's folder (use -EntrypointRelPath for the file inside it).");
            }

            if (!Directory.Exists(root))
            {
                throw new PackagingException(PackagingFailure.PathNotFound, root, $"The app folder '{root}' does not exist.");
            }

            var files = new List<AppFile>();
            var excluded = new List<ExcludedPath>();
            Walk(new DirectoryInfo(root), string.Empty, IgnoreRules.None, files, excluded, cancellationToken);
            if (files.Count == 0)
            {
                var why = excluded.Count == 0 ? "it is empty" : $"all {excluded.Count} of its entries are excluded by ignore rules or are links";
                throw new PackagingException(PackagingFailure.EmptyFolder, root, $"Nothing to deploy in '{root}': {why}.");
            }

            return new AppFolder(root, files, excluded);
        }

        /// <summary>
        /// Checks a user-given entrypoint and returns it in the form the API wants ('/'-separated, relative).
        /// Backslashes are taken as separators so Windows habits work.
        /// </summary>
        public static string NormalizeEntrypoint(string entrypoint)
        {
            var text = (entrypoint ?? string.Empty).Trim().Replace('\\', '/');
            if (text.Length == 0)
            {
                throw new PackagingException(PackagingFailure.EntrypointInvalid, entrypoint ?? string.Empty, "The entrypoint is empty.");
            }

            if (text[0] == '/' || (text.Length > 1 && text[1] == ':'))
            {
                throw new PackagingException(PackagingFailure.EntrypointInvalid, entrypoint!, $"The entrypoint '{entrypoint}' must be relative to the app folder, not absolute.");
            }

            var segments = text.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
            if (segments.Any(s => s == ".."))
            {
                throw new PackagingException(PackagingFailure.EntrypointInvalid, entrypoint!, $"The entrypoint '{entrypoint}' must stay inside the app folder ('..' is not allowed).");
            }

            if (segments.Length == 0)
            {
                throw new PackagingException(PackagingFailure.EntrypointInvalid, entrypoint!, $"The entrypoint '{entrypoint}' does not name a file.");
            }

            return string.Join("/", segments);
        }

        /// <summary>Fails unless the (normalized) entrypoint is one of the files going into the archive.</summary>
        public void RequireEntrypoint(string entrypointRelPath)
        {
            if (Files.Any(f => string.Equals(f.RelativePath, entrypointRelPath, StringComparison.Ordinal)))
            {
                return;
            }

            var reason = Excluded.FirstOrDefault(e => entrypointRelPath == e.RelativePath || entrypointRelPath.StartsWith(e.RelativePath + "/", StringComparison.Ordinal));
            if (reason != null)
            {
                throw new PackagingException(
                    PackagingFailure.EntrypointExcluded,
                    Path.Combine(Root, entrypointRelPath),
                    $"The entrypoint '{entrypointRelPath}' would not be uploaded: {reason}.");
            }

            var onDisk = Path.Combine(Root, entrypointRelPath.Replace('/', Path.DirectorySeparatorChar));
            var detail = Directory.Exists(onDisk) ? "it is a folder, not a file" : "no such file";
            throw new PackagingException(
                PackagingFailure.EntrypointNotFound,
                onDisk,
                $"The entrypoint '{entrypointRelPath}' is not in '{Root}': {detail}.");
        }

        private static void Walk(DirectoryInfo folder, string relative, IgnoreRules inherited, List<AppFile> files, List<ExcludedPath> excluded, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rules = inherited.ForFolder(folder.FullName, relative);
            FileSystemInfo[] entries;
            try
            {
                entries = folder.GetFileSystemInfos();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
            {
                throw new PackagingException(PackagingFailure.FileUnreadable, folder.FullName, $"Cannot read the folder '{folder.FullName}': {ex.Message}", ex);
            }

            Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var subfolders = new List<(DirectoryInfo Folder, string Relative)>();
            foreach (var entry in entries)
            {
                var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                var isDirectory = (entry.Attributes & FileAttributes.Directory) != 0;
                if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    excluded.Add(new ExcludedPath(path, isDirectory, "symbolic link, not followed"));
                    continue;
                }

                var excluder = rules.Excluder(path, isDirectory);
                if (excluder != null)
                {
                    excluded.Add(new ExcludedPath(path, isDirectory, $"'{excluder.Text}' in {excluder.Source}"));
                    continue;
                }

                if (isDirectory)
                {
                    subfolders.Add(((DirectoryInfo)entry, path));
                }
                else
                {
                    var file = (FileInfo)entry;
                    files.Add(new AppFile(path, file.FullName, file.Length, file.LastWriteTime));
                }
            }

            foreach (var (subfolder, subRelative) in subfolders)
            {
                Walk(subfolder, subRelative, rules, files, excluded, cancellationToken);
            }
        }
    }
}
