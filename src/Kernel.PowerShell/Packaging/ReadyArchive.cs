using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>A ZIP the user built: checked before upload so a bad archive never reaches Kernel.</summary>
    internal static class ReadyArchive
    {
        /// <summary>Fails unless the file is a ZIP whose entries include the entrypoint; returns the file count.</summary>
        public static int Check(string path, string entrypointRelPath)
        {
            var files = FileNames(path);
            if (!files.Contains(entrypointRelPath, StringComparer.Ordinal))
            {
                throw new PackagingException(
                    PackagingFailure.EntrypointNotFound,
                    path,
                    $"The entrypoint '{entrypointRelPath}' is not in the archive '{path}' ({files.Count} files).");
            }

            return files.Count;
        }

        /// <summary>
        /// The names of the files (not folders) in the ZIP at <paramref name="path"/>; fails unless it is a readable
        /// ZIP whose names use '/' separators, as Kernel's Linux servers need.
        /// </summary>
        public static IReadOnlyList<string> FileNames(string path)
        {
            if (!File.Exists(path))
            {
                throw new PackagingException(PackagingFailure.PathNotFound, path, $"The archive '{path}' does not exist.");
            }

            if (FileStatus.Of(path) is { } status && status.Kind != EntryKind.RegularFile && status.Kind != EntryKind.SymbolicLink)
            {
                // Opening a named pipe would wait for a writer that may never come.
                throw new PackagingException(PackagingFailure.InvalidArchive, path, $"'{path}' is a {FileStatus.Describe(status.Kind)}, not a ZIP file.");
            }

            try
            {
                using var zip = ZipFile.OpenRead(path);
                var files = zip.Entries.Where(e => e.FullName.Length > 0 && !e.FullName.EndsWith("/", StringComparison.Ordinal)).Select(e => e.FullName).ToList();
                if (files.Any(name => name.IndexOf('\\') >= 0))
                {
                    throw new PackagingException(
                        PackagingFailure.InvalidArchive,
                        path,
                        $"The archive '{path}' names entries with '\\' separators (Windows PowerShell 5.1's Compress-Archive does that); Kernel's Linux servers would not find folders in it. Give the folder with -Path instead.");
                }

                return files;
            }
            catch (InvalidDataException ex)
            {
                throw new PackagingException(PackagingFailure.InvalidArchive, path, $"'{path}' is not a valid ZIP archive: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException && !(ex is FileNotFoundException)))
            {
                throw new PackagingException(PackagingFailure.FileUnreadable, path, $"Cannot read '{path}': {ex.Message}", ex);
            }
        }
    }
}
