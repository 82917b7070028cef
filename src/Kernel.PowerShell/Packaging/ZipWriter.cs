using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// A forward-only ZIP writer (APPNOTE 6.3): entries whose compressed bytes are already known (deflated on
    /// other threads), and entries whose CRC and sizes follow their data in a data descriptor (written in pieces
    /// deflated on other threads, or streamed through deflate here). It never seeks, so it
    /// can write to a network stream; Zip64 records appear only when sizes, offsets or counts need them.
    /// Every entry says "made by Unix" and carries its Unix mode (files 0644 or 0755, folders 0755), so
    /// Info-ZIP and the like extract files any user can read; its time is in DOS form and, exactly and in UTC,
    /// in an extended-timestamp field.
    /// </summary>
    internal sealed class ZipWriter : IDisposable
    {
        private const ushort MethodStored = 0;
        private const ushort MethodDeflated = 8;
        private const ushort FlagDataDescriptor = 1 << 3;
        private const ushort FlagUtf8 = 1 << 11;
        private const ushort VersionDefault = 20;
        private const ushort VersionZip64 = 45;
        private const ushort VersionMadeByUnix = (3 << 8) | 45;
        private const uint Max32 = 0xFFFFFFFF;
        private const ushort ExtendedTimestampTag = 0x5455;
        private const uint UnixRegularFile = 0x8000;
        private const uint UnixDirectory = 0x4000;
        private const uint DosDirectory = 0x10;

        private readonly Stream _output;
        private readonly List<CentralEntry> _entries = new List<CentralEntry>();
        private readonly byte[] _scratch = new byte[128];
        private long _position;
        private CentralEntry? _open;
        private long _openDataStart;

        public ZipWriter(Stream output)
        {
            _output = output;
        }

        /// <summary>Bytes written so far.</summary>
        public long Position => _position;

        /// <summary>A folder entry, mode 0755.</summary>
        public void AddDirectory(string name, DateTime modified) =>
            Add(name.EndsWith("/", StringComparison.Ordinal) ? name : name + "/", modified, ((UnixDirectory | EntryModes.Folder) << 16) | DosDirectory, new CompressedData(MethodStored, 0, 0, new ArraySegment<byte>(Array.Empty<byte>())));

        /// <summary>Writes a file whose data is already compressed (or stored) with its CRC and sizes known.</summary>
        /// <param name="permissions">The Unix permission bits, e.g. <see cref="EntryModes.File"/>.</param>
        public void AddPrepared(string name, DateTime modified, int permissions, CompressedData data) =>
            Add(name, modified, FileAttributes(permissions), data);

        private void Add(string name, DateTime modified, uint externalAttributes, CompressedData data)
        {
            // Prepared data is in memory, so well under 4 GB: only its offset may need Zip64 (central directory).
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var entry = new CentralEntry(nameBytes, modified, data.Method, 0, data.Crc, data.Data.Count, data.UncompressedLength, _position, zip64: false) { ExternalAttributes = externalAttributes };
            WriteLocalHeader(entry, dataDescriptor: false);
            Write(data.Data.Array!, data.Data.Offset, data.Data.Count);
            _entries.Add(entry);
        }

        /// <summary>
        /// Starts a file entry whose CRC and sizes follow its data, in a data descriptor: for a file written in
        /// pieces (<see cref="WriteData"/>) or streamed, whose sizes are not known when its header goes out.
        /// </summary>
        public void StartEntry(string name, DateTime modified, int permissions, bool deflated)
        {
            _open = new CentralEntry(Encoding.UTF8.GetBytes(name), modified, deflated ? MethodDeflated : MethodStored, FlagDataDescriptor, 0, 0, 0, _position, zip64: true)
            {
                ExternalAttributes = FileAttributes(permissions),
            };
            WriteLocalHeader(_open, dataDescriptor: true);
            _openDataStart = _position;
        }

        /// <summary>Writes data of the entry <see cref="StartEntry"/> opened, as it goes into the archive.</summary>
        public void WriteData(byte[] buffer, int offset, int count) => Write(buffer, offset, count);

        /// <summary>Ends the open entry with its data descriptor: the CRC and length of what it holds unpacked.</summary>
        public void FinishEntry(uint crc, long uncompressed)
        {
            var open = _open ?? throw new InvalidOperationException("No entry is open.");
            var compressed = _position - _openDataStart;
            PutUInt32(0, 0x08074b50);
            PutUInt32(4, crc);
            PutUInt64(8, (ulong)compressed);
            PutUInt64(16, (ulong)uncompressed);
            Write(_scratch, 0, 24);
            _entries.Add(new CentralEntry(open.Name, open.Modified, open.Method, FlagDataDescriptor, crc, compressed, uncompressed, open.Offset, zip64: true)
            {
                ExternalAttributes = open.ExternalAttributes,
            });
            _open = null;
        }

        /// <summary>
        /// Streams a file through deflate (or stores it, at <see cref="CompressionLevel.NoCompression"/>) as one
        /// entry with a data descriptor, reporting each read.
        /// </summary>
        public void AddStreamed(string name, DateTime modified, int permissions, Stream source, CompressionLevel level, Action<int> read)
        {
            var deflated = level != CompressionLevel.NoCompression;
            StartEntry(name, modified, permissions, deflated);
            var crc = 0u;
            long uncompressed = 0;
            var buffer = new byte[81920];
            using (var target = deflated ? Deflation.Open(new CountingStream(this), level) : (Stream)new CountingStream(this))
            {
                int count;
                while ((count = source.Read(buffer, 0, buffer.Length)) > 0)
                {
                    crc = Crc32.Append(crc, buffer, 0, count);
                    target.Write(buffer, 0, count);
                    uncompressed += count;
                    read(count);
                }
            }

            FinishEntry(crc, uncompressed);
        }

        /// <summary>Writes the central directory and its end records, with <paramref name="comment"/>.</summary>
        public void Finish(string comment)
        {
            var directoryStart = _position;
            foreach (var entry in _entries)
            {
                WriteCentralHeader(entry);
            }

            var directorySize = _position - directoryStart;
            var needsZip64 = _entries.Count >= 0xFFFF || directoryStart >= Max32 || directorySize >= Max32;
            if (needsZip64)
            {
                var zip64EndStart = _position;
                PutUInt32(0, 0x06064b50);
                PutUInt64(4, 44);
                PutUInt16(12, VersionMadeByUnix);
                PutUInt16(14, VersionZip64);
                PutUInt32(16, 0);
                PutUInt32(20, 0);
                PutUInt64(24, (ulong)_entries.Count);
                PutUInt64(32, (ulong)_entries.Count);
                PutUInt64(40, (ulong)directorySize);
                PutUInt64(48, (ulong)directoryStart);
                Write(_scratch, 0, 56);
                PutUInt32(0, 0x07064b50);
                PutUInt32(4, 0);
                PutUInt64(8, (ulong)zip64EndStart);
                PutUInt32(16, 1);
                Write(_scratch, 0, 20);
            }

            var commentBytes = Encoding.UTF8.GetBytes(comment);
            PutUInt32(0, 0x06054b50);
            PutUInt16(4, 0);
            PutUInt16(6, 0);
            PutUInt16(8, (ushort)Math.Min(_entries.Count, 0xFFFF));
            PutUInt16(10, (ushort)Math.Min(_entries.Count, 0xFFFF));
            PutUInt32(12, (uint)Math.Min(directorySize, Max32));
            PutUInt32(16, (uint)Math.Min(directoryStart, Max32));
            PutUInt16(20, (ushort)commentBytes.Length);
            Write(_scratch, 0, 22);
            Write(commentBytes, 0, commentBytes.Length);
            _output.Flush();
        }

        public void Dispose()
        {
        }

        private static uint FileAttributes(int permissions) => (UnixRegularFile | (uint)(permissions & 0xFFF)) << 16;

        /// <summary>
        /// Puts the extended-timestamp field (Info-ZIP "UT": the modified time in Unix seconds, when it fits in 32
        /// bits) into the scratch buffer at <paramref name="at"/>; returns its length (0 when it does not fit).
        /// Headers are put together in the scratch buffer: a deployment of 12,800 files writes 25,600 of them.
        /// </summary>
        private int PutExtendedTimestamp(int at, DateTime modified)
        {
            var seconds = (long)Math.Floor((modified.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds);
            if (seconds < 0 || seconds > int.MaxValue)
            {
                return 0;
            }

            PutUInt16(at, ExtendedTimestampTag);
            PutUInt16(at + 2, 5);
            _scratch[at + 4] = 1; // only the modification time follows
            PutUInt32(at + 5, (uint)seconds);
            return 9;
        }

        /// <param name="dataDescriptor">
        /// The sizes follow the data: zero here, with a Zip64 extra field (zeros too) so readers take the descriptor's as 64-bit.
        /// </param>
        private void WriteLocalHeader(CentralEntry entry, bool dataDescriptor)
        {
            var (time, date) = DosTime(entry.Modified);
            PutUInt32(0, 0x04034b50);
            PutUInt16(4, entry.Zip64 ? VersionZip64 : VersionDefault);
            PutUInt16(6, (ushort)(entry.Flags | FlagUtf8));
            PutUInt16(8, entry.Method);
            PutUInt16(10, time);
            PutUInt16(12, date);
            PutUInt32(14, dataDescriptor ? 0 : entry.Crc);
            PutUInt32(18, dataDescriptor ? 0 : entry.Zip64 ? Max32 : (uint)entry.CompressedLength);
            PutUInt32(22, dataDescriptor ? 0 : entry.Zip64 ? Max32 : (uint)entry.UncompressedLength);
            PutUInt16(26, (ushort)entry.Name.Length);
            var extra = 30;
            if (dataDescriptor)
            {
                PutUInt16(extra, 0x0001);
                PutUInt16(extra + 2, 16);
                PutUInt64(extra + 4, 0);
                PutUInt64(extra + 12, 0);
                extra += 20;
            }

            extra += PutExtendedTimestamp(extra, entry.Modified);
            PutUInt16(28, (ushort)(extra - 30));
            Write(_scratch, 0, 30);
            Write(entry.Name, 0, entry.Name.Length);
            Write(_scratch, 30, extra - 30);
        }

        private void WriteCentralHeader(CentralEntry entry)
        {
            var bigUncompressed = entry.UncompressedLength >= Max32;
            var bigCompressed = entry.CompressedLength >= Max32;
            var bigOffset = entry.Offset >= Max32;
            var extra = 46;
            if (bigUncompressed || bigCompressed || bigOffset)
            {
                var field = extra;
                extra += 4;
                if (bigUncompressed)
                {
                    PutUInt64(extra, (ulong)entry.UncompressedLength);
                    extra += 8;
                }

                if (bigCompressed)
                {
                    PutUInt64(extra, (ulong)entry.CompressedLength);
                    extra += 8;
                }

                if (bigOffset)
                {
                    PutUInt64(extra, (ulong)entry.Offset);
                    extra += 8;
                }

                PutUInt16(field, 0x0001);
                PutUInt16(field + 2, (ushort)(extra - field - 4));
            }

            var zip64 = extra > 46;
            extra += PutExtendedTimestamp(extra, entry.Modified);

            var (time, date) = DosTime(entry.Modified);
            PutUInt32(0, 0x02014b50);
            PutUInt16(4, VersionMadeByUnix);
            PutUInt16(6, entry.Zip64 || zip64 ? VersionZip64 : VersionDefault);
            PutUInt16(8, (ushort)(entry.Flags | FlagUtf8));
            PutUInt16(10, entry.Method);
            PutUInt16(12, time);
            PutUInt16(14, date);
            PutUInt32(16, entry.Crc);
            PutUInt32(20, bigCompressed ? Max32 : (uint)entry.CompressedLength);
            PutUInt32(24, bigUncompressed ? Max32 : (uint)entry.UncompressedLength);
            PutUInt16(28, (ushort)entry.Name.Length);
            PutUInt16(30, (ushort)(extra - 46));
            PutUInt16(32, 0);
            PutUInt16(34, 0);
            PutUInt16(36, 0);
            PutUInt32(38, entry.ExternalAttributes);
            PutUInt32(42, bigOffset ? Max32 : (uint)entry.Offset);
            Write(_scratch, 0, 46);
            Write(entry.Name, 0, entry.Name.Length);
            Write(_scratch, 46, extra - 46);
        }

        private static (ushort Time, ushort Date) DosTime(DateTime value)
        {
            if (value.Year < 1980)
            {
                value = new DateTime(1980, 1, 1);
            }
            else if (value.Year > 2107)
            {
                value = new DateTime(2107, 12, 31, 23, 59, 58);
            }

            var time = (ushort)((value.Hour << 11) | (value.Minute << 5) | (value.Second / 2));
            var date = (ushort)(((value.Year - 1980) << 9) | (value.Month << 5) | value.Day);
            return (time, date);
        }

        private void Write(byte[] buffer, int offset, int count)
        {
            _output.Write(buffer, offset, count);
            _position += count;
        }

        private void PutUInt16(int at, ushort value)
        {
            _scratch[at] = (byte)value;
            _scratch[at + 1] = (byte)(value >> 8);
        }

        private void PutUInt32(int at, uint value)
        {
            for (var i = 0; i < 4; i++)
            {
                _scratch[at + i] = (byte)(value >> (8 * i));
            }
        }

        private void PutUInt64(int at, ulong value)
        {
            for (var i = 0; i < 8; i++)
            {
                _scratch[at + i] = (byte)(value >> (8 * i));
            }
        }

        private sealed class CentralEntry
        {
            public CentralEntry(byte[] name, DateTime modified, ushort method, ushort flags, uint crc, long compressedLength, long uncompressedLength, long offset, bool zip64)
            {
                Name = name;
                Modified = modified;
                Method = method;
                Flags = flags;
                Crc = crc;
                CompressedLength = compressedLength;
                UncompressedLength = uncompressedLength;
                Offset = offset;
                Zip64 = zip64;
            }

            public byte[] Name { get; }

            public DateTime Modified { get; }

            public ushort Method { get; }

            public ushort Flags { get; }

            public uint Crc { get; }

            public long CompressedLength { get; }

            public long UncompressedLength { get; }

            public long Offset { get; }

            public bool Zip64 { get; }

            /// <summary>The Unix mode in the high 16 bits, MS-DOS attributes in the low byte.</summary>
            public uint ExternalAttributes { get; set; }
        }

        /// <summary>Lets a DeflateStream write through the writer, which keeps the position.</summary>
        private sealed class CountingStream : Stream
        {
            private readonly ZipWriter _writer;

            public CountingStream(ZipWriter writer) => _writer = writer;

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => _writer._position;
                set => throw new NotSupportedException();
            }

            public override void Write(byte[] buffer, int offset, int count) => _writer.Write(buffer, offset, count);

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }

    /// <summary>An entry's bytes (or a piece of them) as they go into the archive, with what the headers need.</summary>
    internal sealed class CompressedData
    {
        public CompressedData(ushort method, uint crc, long uncompressedLength, ArraySegment<byte> data, bool startsWithShebang = false)
        {
            Method = method;
            Crc = crc;
            UncompressedLength = uncompressedLength;
            Data = data;
            StartsWithShebang = startsWithShebang;
        }

        public ushort Method { get; }

        public bool IsDeflated => Method == 8;

        public uint Crc { get; }

        public long UncompressedLength { get; }

        public ArraySegment<byte> Data { get; }

        /// <summary>Whether the file's first bytes are "#!" (see <see cref="EntryModes.ForFile"/>).</summary>
        public bool StartsWithShebang { get; }
    }

    /// <summary>
    /// The Unix modes entries get: what a non-root runtime needs to read every file and enter every folder,
    /// and to run what was executable here. Nothing else of the source's mode is kept (a 0600 file is packed
    /// 0644), so the archive never carries a permission that locks the app's own user out.
    /// </summary>
    internal static class EntryModes
    {
        public const int Folder = 0x1ED; // 0755
        public const int File = 0x1A4; // 0644
        public const int Executable = 0x1ED; // 0755

        /// <summary>
        /// The mode of a file from its execute bit; where files have none (Windows), a file that starts with "#!"
        /// (a script that names its interpreter) is executable.
        /// </summary>
        public static int ForFile(bool? isExecutable, bool startsWithShebang) =>
            (isExecutable ?? startsWithShebang) ? Executable : File;

        public static bool StartsWithShebang(byte[] head, int count) => count >= 2 && head[0] == (byte)'#' && head[1] == (byte)'!';
    }
}
