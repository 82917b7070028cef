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
        private readonly string _folder;

        /// <param name="folder">The full path of the folder that holds it (one string shared by the folder's files:
        /// twenty deployments of a 12,800-file tree at once would otherwise keep 50 MB of full paths).</param>
        public AppFile(string relativePath, string folder, long length, DateTime lastWriteTime, bool? isExecutable)
        {
            RelativePath = relativePath;
            _folder = folder;
            Length = length;
            LastWriteTime = lastWriteTime;
            IsExecutable = isExecutable;
        }

        /// <summary>'/'-separated, relative to the app folder.</summary>
        public string RelativePath { get; }

        public string FullPath => Path.Combine(_folder, RelativePath.Substring(RelativePath.LastIndexOf('/') + 1));

        public long Length { get; }

        public DateTime LastWriteTime { get; }

        /// <summary>Whether the file has an execute bit; null where files have none (Windows), so its content decides.</summary>
        public bool? IsExecutable { get; }

        /// <summary>The Unix mode the file gets in the archive (where files have no execute bit, this reads its first two bytes).</summary>
        public int ArchiveMode()
        {
            if (IsExecutable.HasValue)
            {
                return EntryModes.ForFile(IsExecutable, startsWithShebang: false);
            }

            var head = new byte[2];
            try
            {
                using var file = new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                return EntryModes.ForFile(null, EntryModes.StartsWithShebang(head, file.Read(head, 0, 2)));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return EntryModes.File;
            }
        }
    }

    /// <summary>A rule given on the command line that leaves paths out (-Exclude, -EnvFile), with the reason to show.</summary>
    internal sealed class PathExclusion
    {
        private readonly Func<string, string, bool> _matches;

        /// <param name="matches">Gets the '/'-separated relative path and the entry's name.</param>
        public PathExclusion(Func<string, string, bool> matches, string reason)
        {
            _matches = matches;
            Reason = reason;
        }

        public string Reason { get; }

        public bool Matches(string relativePath, string name) => _matches(relativePath, name);
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
    /// empty folders dropped. Only regular files and folders are packed: symbolic links are never followed
    /// (so an archive can never reach outside the folder), and named pipes, sockets and devices, which have no
    /// content to pack and can block whoever opens them, are left out too; all are listed in <see cref="Excluded"/>.
    /// </summary>
    internal sealed class AppFolder
    {
        /// <summary>How the walk explains a named pipe, socket or device it left out, after its kind.</summary>
        internal const string NotPacked = ", not a regular file: only files and folders are packed";

        internal AppFolder(string root, IReadOnlyList<AppFile> files, IReadOnlyList<ExcludedPath> excluded)
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

        public static AppFolder Scan(string root, CancellationToken cancellationToken, IReadOnlyList<PathExclusion>? exclusions = null)
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
            new Walk(exclusions ?? Array.Empty<PathExclusion>(), cancellationToken).Run(new DirectoryInfo(root), files, excluded);
            if (files.Count == 0)
            {
                var why = excluded.Count == 0 ? "it is empty" : $"all {excluded.Count} of its entries are left out (ignore rules, -Exclude, links or special files)";
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

        /// <summary>
        /// One walk of the folder tree, collecting what goes in and what is left out. Reading a folder is mostly
        /// system calls (one lstat per entry), so a big tree's folders are read on every core; what each holds
        /// is put together afterwards in the walk's order (a folder's own entries by ordinal name, then its
        /// subfolders'), and of several unreadable folders the first in that order is the one reported.
        /// </summary>
        private sealed class Walk
        {
            /// <summary>Helper threads start once the walk has found this many folders: a small tree is read before they would be running.</summary>
            private const int FoldersBeforeHelpers = 32;

            private readonly IReadOnlyList<PathExclusion> _exclusions;
            private readonly CancellationToken _cancellationToken;
            private readonly object _gate = new object();
            private readonly Queue<FolderNode> _pending = new Queue<FolderNode>();
            private readonly List<Thread> _helpers = new List<Thread>();
            private int _reading;
            private int _found;

            public Walk(IReadOnlyList<PathExclusion> exclusions, CancellationToken cancellationToken)
            {
                _exclusions = exclusions;
                _cancellationToken = cancellationToken;
            }

            public void Run(DirectoryInfo root, List<AppFile> files, List<ExcludedPath> excluded)
            {
                var top = new FolderNode(root, string.Empty, IgnoreRules.None);
                _pending.Enqueue(top);
                ReadPending();

                // Only this thread starts helpers (the first of them after it found enough folders), so all have started by now.
                foreach (var helper in _helpers)
                {
                    helper.Join();
                }

                _cancellationToken.ThrowIfCancellationRequested();
                Collect(top, files, excluded);
            }

            private static void Collect(FolderNode node, List<AppFile> files, List<ExcludedPath> excluded)
            {
                if (node.Failure != null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(node.Failure).Throw();
                }

                files.AddRange(node.Files);
                excluded.AddRange(node.Excluded);
                foreach (var child in node.Children)
                {
                    Collect(child, files, excluded);
                }
            }

            private void ReadPending()
            {
                while (true)
                {
                    FolderNode node;
                    lock (_gate)
                    {
                        while (_pending.Count == 0)
                        {
                            if (_reading == 0)
                            {
                                return;
                            }

                            Monitor.Wait(_gate);
                        }

                        node = _pending.Dequeue();
                        _reading++;
                    }

                    try
                    {
                        _cancellationToken.ThrowIfCancellationRequested();
                        Read(node);
                    }
                    catch (Exception ex)
                    {
                        node.Failure = ex;
                    }

                    bool startHelpers;
                    lock (_gate)
                    {
                        if (!_cancellationToken.IsCancellationRequested)
                        {
                            foreach (var child in node.Children)
                            {
                                _pending.Enqueue(child);
                            }
                        }

                        _found += node.Children.Count;
                        startHelpers = _helpers.Count == 0 && _found >= FoldersBeforeHelpers && _pending.Count > 1;
                        _reading--;
                        Monitor.PulseAll(_gate);
                    }

                    if (startHelpers)
                    {
                        for (var i = 1; i < Environment.ProcessorCount; i++)
                        {
                            var helper = new Thread(ReadPending) { IsBackground = true, Name = "Kernel folder walk" };
                            _helpers.Add(helper);
                            helper.Start();
                        }
                    }
                }
            }

            private void Read(FolderNode node)
            {
                FileSystemInfo[] entries;
                try
                {
                    entries = node.Folder.GetFileSystemInfos();
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
                {
                    throw new PackagingException(PackagingFailure.FileUnreadable, node.Folder.FullName, $"Cannot read the folder '{node.Folder.FullName}': {ex.Message}", ex);
                }

                Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Name, b.Name));
                var rules = node.Inherited.ForFolder(node.Folder.FullName, node.Relative, entries);
                foreach (var entry in entries)
                {
                    var path = node.Relative.Length == 0 ? entry.Name : node.Relative + "/" + entry.Name;
                    var attributes = entry.Attributes;
                    var isDirectory = (attributes & FileAttributes.Directory) != 0;
                    var status = FileStatus.OfEntry(entry, attributes);
                    if ((attributes & FileAttributes.ReparsePoint) != 0 || status?.Kind == EntryKind.SymbolicLink)
                    {
                        node.Excluded.Add(new ExcludedPath(path, isDirectory, "symbolic link, not followed"));
                        continue;
                    }

                    var reason = ExcludedBy(path, entry.Name)
                        ?? (rules.Excluder(path, isDirectory) is { } excluder ? $"'{excluder.Text}' in {excluder.Source}" : null);
                    if (reason != null)
                    {
                        node.Excluded.Add(new ExcludedPath(path, isDirectory, reason));
                        continue;
                    }

                    if (status is { } special && special.Kind != EntryKind.RegularFile && special.Kind != EntryKind.Directory)
                    {
                        node.Excluded.Add(new ExcludedPath(path, false, FileStatus.Describe(special.Kind) + NotPacked));
                        continue;
                    }

                    if (isDirectory)
                    {
                        node.Children.Add(new FolderNode((DirectoryInfo)entry, path, rules));
                    }
                    else
                    {
                        var file = (FileInfo)entry;
                        node.Files.Add(new AppFile(path, node.Folder.FullName, file.Length, file.LastWriteTime, status?.IsExecutable));
                    }
                }
            }

            private string? ExcludedBy(string path, string name)
            {
                foreach (var exclusion in _exclusions)
                {
                    if (exclusion.Matches(path, name))
                    {
                        return exclusion.Reason;
                    }
                }

                return null;
            }
        }

        /// <summary>A folder of the walk: where it is, the ignore rules it inherits, and what reading it found.</summary>
        private sealed class FolderNode
        {
            public FolderNode(DirectoryInfo folder, string relative, IgnoreRules inherited)
            {
                Folder = folder;
                Relative = relative;
                Inherited = inherited;
            }

            public DirectoryInfo Folder { get; }

            public string Relative { get; }

            public IgnoreRules Inherited { get; }

            public List<AppFile> Files { get; } = new List<AppFile>();

            public List<ExcludedPath> Excluded { get; } = new List<ExcludedPath>();

            public List<FolderNode> Children { get; } = new List<FolderNode>();

            public Exception? Failure { get; set; }
        }
    }
}
