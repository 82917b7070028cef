using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>How an archive is cut into work; the defaults are what deploys use, tests change them.</summary>
    internal sealed class PackingOptions
    {
        public static readonly PackingOptions Default = new PackingOptions(ArchiveWriter.DefaultPieceSize, Deflation.CanFlush);

        public PackingOptions(int pieceSize, bool inPieces)
        {
            if (pieceSize < Deflation.FirstBlock)
            {
                throw new ArgumentOutOfRangeException(nameof(pieceSize), "A piece holds at least the first block.");
            }

            PieceSize = pieceSize;
            InPieces = inPieces;
        }

        /// <summary>Files longer than this are read and deflated in pieces of this size.</summary>
        public int PieceSize { get; }

        /// <summary>
        /// Whether a file longer than a piece is deflated in pieces on every core (which needs
        /// <see cref="Deflation.CanFlush"/>); otherwise the writer streams it through deflate itself.
        /// </summary>
        public bool InPieces { get; }
    }

    /// <summary>
    /// Writes an app folder as a ZIP, using every core. The files are cut into pieces (a whole small file, or
    /// <see cref="PackingOptions.PieceSize"/> of a big one); worker threads read, checksum and deflate pieces
    /// ahead of the writer, which puts them out in order, so memory stays bounded whatever the app's size.
    /// Already-compressed formats (by extension) and files whose first, middle and last blocks do not shrink
    /// (<see cref="Deflation"/>) are stored, not deflated.
    /// </summary>
    internal static class ArchiveWriter
    {
        internal const int DefaultPieceSize = 4 * 1024 * 1024;

        /// <summary>
        /// How far (in file bytes) the workers may read ahead of the writer, for all the archives this process
        /// writes at once: each gets an equal share, never less than <see cref="SmallestShare"/> (and the piece
        /// the writer waits for always goes). Twenty deployments at once then hold little more than one would.
        /// </summary>
        private const long InFlightBudget = 16L * 1024 * 1024;
        private const long SmallestShare = 1024 * 1024;
        private const int InFlightPieces = 512;
        private static int _archivesBeingWritten;

        /// <summary>
        /// The buffers of every archive the process writes at once, so that many deployments at once reuse each
        /// other's instead of each leaving its own to the collector; emptied when the last one is done, so an
        /// idle session holds none.
        /// </summary>
        private static readonly BufferPool SharedBuffers = new BufferPool();

        /// <summary>What the writer waits for at once when it has caught up with the workers (see <see cref="Take"/>).</summary>
        private const int BatchPieces = 64;
        private const long BatchBytes = 1024 * 1024;

        /// <summary>What a worker claims at once at most, in small files (see Pipeline.Group).</summary>
        private const int ClaimPieces = 32;
        private const int ClaimBytes = 64 * 1024;
        private const byte Undecided = 0;
        private const byte Stored = 1;
        private const byte Deflated = 2;
        private static readonly TimeSpan WorkerGrace = TimeSpan.FromSeconds(1);
        private static readonly Action<bool> NoneWaiting = _ => { };

        private static readonly HashSet<string> AlreadyCompressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".zip", ".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz", ".zst", ".lz4", ".lzma", ".br", ".7z", ".rar", ".jar",
            ".whl", ".nupkg", ".apk", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".heic", ".mp3", ".m4a", ".aac",
            ".ogg", ".opus", ".flac", ".mp4", ".m4v", ".mov", ".mkv", ".avi", ".webm", ".woff", ".woff2", ".pdf",
            ".docx", ".xlsx", ".pptx",
        };

        public static void Write(AppFolder folder, Stream output, string comment, CompressionLevel level, IOperationObserver observer, CancellationToken cancellationToken) =>
            Write(folder, output, comment, level, observer, cancellationToken, PackingOptions.Default);

        internal static void Write(AppFolder folder, Stream output, string comment, CompressionLevel level, IOperationObserver observer, CancellationToken cancellationToken, PackingOptions options)
        {
            var state = new Pipeline(folder.Files, level, options);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Interlocked.Increment(ref _archivesBeingWritten);
            var workers = new Task[Math.Max(1, Math.Min(Environment.ProcessorCount, state.Claims.Length))];
            for (var w = 0; w < workers.Length; w++)
            {
                // Threads of their own: a worker blocks while it waits for the writer, and twenty deploys at once
                // would otherwise hold the thread pool's few threads waiting.
                workers[w] = Task.Factory.StartNew(() => Work(state, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            try
            {
                WriteInOrder(folder, output, comment, state, observer, stop.Token);
            }
            finally
            {
                stop.Cancel();
                lock (state.Gate)
                {
                    Monitor.PulseAll(state.Gate);
                }

                try
                {
                    // Workers stop at their next check; the archive is abandoned either way. One stuck opening a
                    // file (a hung share, a named pipe put in place of a file after the walk) is not waited for.
                    Task.WaitAll(workers, WorkerGrace);
                }
                catch (AggregateException)
                {
                }

                if (Interlocked.Decrement(ref _archivesBeingWritten) == 0)
                {
                    SharedBuffers.Clear();
                }
            }
        }

        /// <summary>Whether a file's method is fixed before any of it is read: stored at NoCompression, for a known format, or when empty.</summary>
        private static bool StoredUnread(AppFile file, CompressionLevel level) =>
            level == CompressionLevel.NoCompression || file.Length == 0 || AlreadyCompressed.Contains(Path.GetExtension(file.RelativePath));

        private static void Work(Pipeline state, CancellationToken cancellationToken)
        {
            while (true)
            {
                var claim = Interlocked.Increment(ref state.NextToClaim);
                if (claim >= state.Claims.Length || cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var (first, end, bytes) = state.Claims[claim];
                if (state.Pieces[first].Streamed)
                {
                    continue;
                }

                if (state.TooFarAhead(first, bytes))
                {
                    lock (state.Gate)
                    {
                        while (!cancellationToken.IsCancellationRequested && state.TooFarAhead(first, bytes))
                        {
                            // Said before the last look, so the writer (which moves on without the lock) either
                            // sees a waiter and wakes it, or has moved on before that look.
                            Interlocked.Increment(ref state.BudgetWaiters);
                            if (state.TooFarAhead(first, bytes))
                            {
                                Monitor.Wait(state.Gate, 100);
                            }

                            Interlocked.Decrement(ref state.BudgetWaiters);
                        }
                    }
                }

                Interlocked.Add(ref state.InFlightBytes, bytes);

                var packed = new CompressedData?[end - first];
                Exception? failure = null;
                for (var index = first; index < end && failure == null; index++)
                {
                    try
                    {
                        packed[index - first] = Pack(state, state.Pieces[index], cancellationToken);
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException))
                    {
                        failure = ex is PackagingException ? ex : Unreadable(state.Files[state.Pieces[index].File], ex);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                lock (state.Gate)
                {
                    var wake = failure != null;
                    for (var index = first; index < end; index++)
                    {
                        state.Ready[index] = packed[index - first];
                        wake |= index >= state.NextToWrite && index <= state.BatchEnd && packed[index - first] != null && --state.BatchMissing == 0;
                    }

                    state.Failure ??= failure;
                    if (wake)
                    {
                        Monitor.PulseAll(state.Gate);
                    }
                }
            }
        }

        /// <summary>Reads, checksums and (unless the file is stored) deflates one piece.</summary>
        private static CompressedData Pack(Pipeline state, Piece piece, CancellationToken cancellationToken)
        {
            var file = state.Files[piece.File];
            var raw = state.Buffers.Rent(piece.Length);
            using (var source = Open(file))
            {
                if (piece.Offset > 0)
                {
                    source.Position = piece.Offset;
                }

                var done = ReadUpTo(source, raw, piece.Length);
                if (done != piece.Length)
                {
                    throw new IOException($"the file changed size while it was read ({piece.Offset + done} of {file.Length} bytes)");
                }
            }

            var crc = Crc32.Append(0, raw, 0, piece.Length);
            var script = piece.First && EntryModes.StartsWithShebang(raw, piece.Length);
            var stored = new CompressedData(0, crc, piece.Length, new ArraySegment<byte>(raw, 0, piece.Length), script);
            Action<bool>? decided = null;
            Func<bool>? laterBlocksShrink = null;
            if (piece.First)
            {
                if (state.Method[piece.File] == Stored)
                {
                    return stored;
                }

                // Only the later pieces of a big file wait for the verdict (and a wake-up per small file would cost more than the file).
                decided = piece.Last ? NoneWaiting : deflate =>
                {
                    lock (state.Gate)
                    {
                        state.Method[piece.File] = deflate ? Deflated : Stored;
                        Monitor.PulseAll(state.Gate);
                    }
                };
                laterBlocksShrink = () => LaterBlocksShrink(state, file, raw, piece.Length);
            }
            else if (AwaitMethod(state, piece.File, cancellationToken) == Stored)
            {
                return stored;
            }

            var packed = Deflation.Deflate(raw, piece.Length, piece.Last, state.Level, state.Buffers, decided, laterBlocksShrink, state.Options.InPieces);
            if (packed == null)
            {
                return stored;
            }

            state.Buffers.Return(raw);
            return new CompressedData(8, crc, piece.Length, packed.Value, script);
        }

        /// <summary>Whether the blocks from the middle and the end of a file shrink; <paramref name="head"/> holds its first <paramref name="held"/> bytes.</summary>
        private static bool LaterBlocksShrink(Pipeline state, AppFile file, byte[] head, int held)
        {
            byte[]? block = null;
            FileStream? source = null;
            try
            {
                foreach (var offset in Deflation.LaterBlocks(file.Length))
                {
                    if (offset + Deflation.FirstBlock <= held)
                    {
                        if (Deflation.BlockShrinks(head, (int)offset, Deflation.FirstBlock, state.Level, state.Buffers))
                        {
                            return true;
                        }

                        continue;
                    }

                    source ??= Open(file);
                    block ??= new byte[Deflation.FirstBlock];
                    source.Position = offset;
                    if (Deflation.BlockShrinks(block, 0, ReadUpTo(source, block, block.Length), state.Level, state.Buffers))
                    {
                        return true;
                    }
                }

                return false;
            }
            finally
            {
                source?.Dispose();
            }
        }

        /// <summary>Reads until <paramref name="count"/> bytes are in <paramref name="buffer"/> or the file ends; returns how many came.</summary>
        private static int ReadUpTo(Stream source, byte[] buffer, int count)
        {
            var done = 0;
            int read;
            while (done < count && (read = source.Read(buffer, done, count - done)) > 0)
            {
                done += read;
            }

            return done;
        }

        /// <summary>A later piece waits for the verdict on the file's first block, which the worker of the first piece gives early.</summary>
        private static byte AwaitMethod(Pipeline state, int file, CancellationToken cancellationToken)
        {
            lock (state.Gate)
            {
                while (state.Method[file] == Undecided)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Monitor.Wait(state.Gate, 100);
                }

                return state.Method[file];
            }
        }

        private static void WriteInOrder(AppFolder folder, Stream output, string comment, Pipeline state, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var zip = new ZipWriter(output);
            var folders = new HashSet<string>(StringComparer.Ordinal);
            var lastFolder = string.Empty;
            var throttle = new Throttle(TimeSpan.FromMilliseconds(250));
            var total = folder.TotalBytes;
            long done = 0;
            var crc = 0u;
            long written = 0;
            for (var index = 0; index < state.Pieces.Length; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var piece = state.Pieces[index];
                var file = state.Files[piece.File];
                if (piece.First)
                {
                    AddFolderEntries(zip, folders, file, ref lastFolder);
                }

                if (piece.Streamed)
                {
                    StreamWhole(zip, state, piece.File, read =>
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        done += read;
                        Report(observer, throttle, done, total, file);
                    });
                }
                else
                {
                    var data = Take(state, index, cancellationToken);
                    if (piece.First && piece.Last)
                    {
                        zip.AddPrepared(file.RelativePath, file.LastWriteTime, EntryModes.ForFile(file.IsExecutable, data.StartsWithShebang), data);
                    }
                    else
                    {
                        if (piece.First)
                        {
                            zip.StartEntry(file.RelativePath, file.LastWriteTime, EntryModes.ForFile(file.IsExecutable, data.StartsWithShebang), data.IsDeflated);
                            crc = 0;
                            written = 0;
                        }

                        zip.WriteData(data.Data.Array!, data.Data.Offset, data.Data.Count);
                        crc = Crc32.Combine(crc, data.Crc, piece.Length);
                        written += piece.Length;
                        if (piece.Last)
                        {
                            zip.FinishEntry(crc, written);
                        }
                    }

                    state.Buffers.Return(data.Data.Array!);
                    done += piece.Length;
                    Report(observer, throttle, done, total, file);
                }

                if (!piece.Streamed)
                {
                    Interlocked.Add(ref state.InFlightBytes, -piece.Length);
                }

                Interlocked.Exchange(ref state.NextToWrite, index + 1);
                if (Volatile.Read(ref state.BudgetWaiters) > 0)
                {
                    lock (state.Gate)
                    {
                        Monitor.PulseAll(state.Gate);
                    }
                }
            }

            zip.Finish(comment);
        }

        /// <summary>
        /// The piece the writer puts out next. When it is not ready, the writer has caught up with the workers
        /// and waits for a batch (up to <see cref="BatchPieces"/> pieces or <see cref="BatchBytes"/>) rather than
        /// for each piece: a worker wakes it only when the batch is complete, since waking a thread per small file
        /// costs more than the file's own packing.
        /// </summary>
        private static CompressedData Take(Pipeline state, int index, CancellationToken cancellationToken)
        {
            var ready = Volatile.Read(ref state.Ready[index]);
            if (ready != null)
            {
                // Workers only ever fill a slot; the writer alone empties it.
                state.Ready[index] = null;
                return ready;
            }

            lock (state.Gate)
            {
                if (state.Ready[index] == null && state.Failure == null)
                {
                    var end = index;
                    var bytes = (long)state.Pieces[index].Length;
                    while (end + 1 < state.Pieces.Length && end + 1 - index < BatchPieces && !state.Pieces[end + 1].Streamed && bytes + state.Pieces[end + 1].Length <= BatchBytes)
                    {
                        bytes += state.Pieces[++end].Length;
                    }

                    state.BatchMissing = 0;
                    for (var i = index; i <= end; i++)
                    {
                        state.BatchMissing += state.Ready[i] == null ? 1 : 0;
                    }

                    state.BatchEnd = end;
                    if (state.BudgetWaiters > 0)
                    {
                        Monitor.PulseAll(state.Gate);
                    }

                    while (state.BatchMissing > 0 && state.Failure == null)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Monitor.Wait(state.Gate, 100);
                    }

                    state.BatchEnd = -1;
                }

                if (state.Failure != null)
                {
                    throw state.Failure;
                }

                var data = state.Ready[index]!;
                state.Ready[index] = null;
                return data;
            }
        }

        /// <summary>
        /// A big file where deflate cannot stop at a byte boundary (Windows PowerShell): the writer streams it
        /// through deflate itself, after judging its first block on its own.
        /// </summary>
        private static void StreamWhole(ZipWriter zip, Pipeline state, int index, Action<int> read)
        {
            var file = state.Files[index];
            using var source = Open(file);
            try
            {
                var head = new byte[Deflation.FirstBlock];
                var count = ReadUpTo(source, head, head.Length);
                var deflate = state.Method[index] != Stored
                    && (Deflation.BlockShrinks(head, 0, count, state.Level, state.Buffers) || LaterBlocksShrink(state, file, head, count));
                source.Position = 0;
                zip.AddStreamed(file.RelativePath, file.LastWriteTime, EntryModes.ForFile(file.IsExecutable, EntryModes.StartsWithShebang(head, count)), source, deflate ? state.Level : CompressionLevel.NoCompression, read);
            }
            catch (IOException ex) when (!(ex is EndOfStreamException))
            {
                throw Unreadable(file, ex);
            }
        }

        private static void Report(IOperationObserver observer, Throttle throttle, long done, long total, AppFile file)
        {
            if (throttle.ShouldReport())
            {
                observer.Progress(new OperationProgress(OperationPhase.Compress, done, total, $"{file.RelativePath} ({Bytes.Format(done)} of {Bytes.Format(total)})"));
            }
        }

        /// <summary>A folder entry for every folder that holds a file, once, like Kernel's CLI.</summary>
        /// <remarks>Files come folder by folder, so one in the folder of the one before (<paramref name="lastFolder"/>) needs nothing.</remarks>
        private static void AddFolderEntries(ZipWriter zip, HashSet<string> folders, AppFile file, ref string lastFolder)
        {
            var path = file.RelativePath;
            if (path.Length > lastFolder.Length && string.CompareOrdinal(path, 0, lastFolder, 0, lastFolder.Length) == 0 && path.IndexOf('/', lastFolder.Length) < 0)
            {
                return;
            }

            lastFolder = path.Substring(0, path.LastIndexOf('/') + 1);
            var slash = path.IndexOf('/');
            while (slash >= 0)
            {
                var name = path.Substring(0, slash + 1);
                if (folders.Add(name))
                {
                    zip.AddDirectory(name, file.LastWriteTime);
                }

                slash = path.IndexOf('/', slash + 1);
            }
        }

        /// <summary>
        /// Opens a file for reading without a buffer of its own (pieces are read straight into theirs), and without
        /// the advisory lock .NET takes on Unix unless others may write: one system call less per file, and a
        /// file that changes size while it is read fails the archive anyway.
        /// </summary>
        private static FileStream Open(AppFile file)
        {
            try
            {
                return new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
            {
                throw Unreadable(file, ex);
            }
        }

        private static PackagingException Unreadable(AppFile file, Exception ex) =>
            new PackagingException(PackagingFailure.FileUnreadable, file.FullPath, $"Cannot read '{file.FullPath}': {ex.Message} Nothing was uploaded.", ex);

        /// <summary>A stretch of one file: all of a small file, or a piece of a big one.</summary>
        private readonly struct Piece
        {
            public Piece(int file, long offset, int length, bool first, bool last, bool streamed)
            {
                File = file;
                Offset = offset;
                Length = length;
                First = first;
                Last = last;
                Streamed = streamed;
            }

            public int File { get; }

            public long Offset { get; }

            public int Length { get; }

            public bool First { get; }

            public bool Last { get; }

            /// <summary>The whole of a big file that the writer streams itself (<see cref="PackingOptions.InPieces"/> off).</summary>
            public bool Streamed { get; }
        }

        /// <summary>What the writer and the workers share, guarded by <see cref="Gate"/>.</summary>
        private sealed class Pipeline
        {
            public Pipeline(IReadOnlyList<AppFile> files, CompressionLevel level, PackingOptions options)
            {
                Files = files;
                Level = level;
                Options = options;
                Method = new byte[files.Count];
                var pieces = new List<Piece>(files.Count);
                for (var f = 0; f < files.Count; f++)
                {
                    var length = files[f].Length;
                    if (StoredUnread(files[f], level))
                    {
                        Method[f] = Stored;
                    }

                    if (length > options.PieceSize && !options.InPieces)
                    {
                        pieces.Add(new Piece(f, 0, 0, first: true, last: true, streamed: true));
                        continue;
                    }

                    var offset = 0L;
                    do
                    {
                        var size = (int)Math.Min(options.PieceSize, length - offset);
                        pieces.Add(new Piece(f, offset, size, first: offset == 0, last: offset + size == length, streamed: false));
                        offset += size;
                    }
                    while (offset < length);
                }

                Pieces = pieces.ToArray();
                Ready = new CompressedData?[Pieces.Length];
                Claims = Group(Pieces);
            }

            /// <summary>
            /// What a worker takes at once: a piece of a big file, or a run of small files (up to
            /// <see cref="ClaimPieces"/> of them, <see cref="ClaimBytes"/> in all), so that handing out work and
            /// handing back results costs once per run, not once per file.
            /// </summary>
            private static (int First, int End, long Bytes)[] Group(Piece[] pieces)
            {
                bool Small(Piece piece) => piece.First && piece.Last && !piece.Streamed && piece.Length < ClaimBytes;
                var claims = new List<(int, int, long)>();
                for (var first = 0; first < pieces.Length;)
                {
                    var end = first + 1;
                    long bytes = pieces[first].Length;
                    if (Small(pieces[first]))
                    {
                        while (end < pieces.Length && end - first < ClaimPieces && Small(pieces[end]) && bytes + pieces[end].Length <= ClaimBytes)
                        {
                            bytes += pieces[end++].Length;
                        }
                    }

                    claims.Add((first, end, bytes));
                    first = end;
                }

                return claims.ToArray();
            }

            public object Gate { get; } = new object();

            public IReadOnlyList<AppFile> Files { get; }

            public CompressionLevel Level { get; }

            public PackingOptions Options { get; }

            public Piece[] Pieces { get; }

            /// <summary>Runs of pieces (first, end exclusive, bytes), in order, as workers claim them.</summary>
            public (int First, int End, long Bytes)[] Claims { get; }

            /// <summary>Per file: <see cref="Undecided"/>, <see cref="Stored"/> or <see cref="Deflated"/>.</summary>
            public byte[] Method { get; }

            public CompressedData?[] Ready { get; }

            public BufferPool Buffers => SharedBuffers;

            public int NextToClaim = -1;

            public int NextToWrite;

            /// <summary>The last piece of the batch the writer waits for, -1 while it does not wait.</summary>
            public int BatchEnd = -1;

            /// <summary>How many pieces of that batch are not ready yet.</summary>
            public int BatchMissing;

            public int BudgetWaiters;

            /// <summary>Whether a claim starting at <paramref name="first"/> must wait: too far ahead of the writer, or over the memory budget; what the writer waits for now always goes.</summary>
            public bool TooFarAhead(int first, long bytes)
            {
                var next = Volatile.Read(ref NextToWrite);
                return first > Math.Max(next, Volatile.Read(ref BatchEnd))
                    && (first >= next + InFlightPieces || Interlocked.Read(ref InFlightBytes) + bytes > Math.Max(SmallestShare, InFlightBudget / Math.Max(1, Volatile.Read(ref _archivesBeingWritten))));
            }

            public long InFlightBytes;

            public Exception? Failure;
        }
    }
}
