using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq.Expressions;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// Whether a file is deflated or stored, and the deflating itself. A file is judged by blocks of
    /// <see cref="FirstBlock"/> bytes: its first, and for a longer file one from its middle and its end.
    /// Deflated at the chosen level, one of them must come out at least 1 % smaller, or the whole file is
    /// stored as it is: random bytes, model weights, media, encrypted or already-compressed data, which deflate
    /// cannot shrink and spends most of its time on. The same rule holds on every path, so a file is stored or
    /// deflated alike whether it is packed whole, in pieces or streamed.
    /// </summary>
    internal static class Deflation
    {
        /// <summary>The size of a block that is judged.</summary>
        public const int FirstBlock = 64 * 1024;

        private static readonly Lazy<bool> SyncFlush = new Lazy<bool>(FlushEndsWithSyncMarker);
        private static readonly Lazy<Func<Stream, DeflateStream>?> OptimalLevel = new Lazy<Func<Stream, DeflateStream>?>(() => AtZlibLevel(5));

        /// <summary>
        /// Whether DeflateStream.Flush ends what it has written with a sync marker (an empty stored block), so
        /// compression can stop at a byte boundary and go on: true on .NET (PowerShell 7), where judging the
        /// first block costs nothing (it is deflated once, on the way) and big files are deflated in pieces on
        /// every core; not on .NET Framework, whose Flush does nothing.
        /// </summary>
        public static bool CanFlush => SyncFlush.Value;

        /// <summary>
        /// A deflate stream into <paramref name="output"/> (left open). <see cref="CompressionLevel.Optimal"/> is zlib's
        /// level 5 where the runtime can name a level (.NET 9 on: PowerShell 7.5 and later): within half a percent
        /// of level 6's size (what .NET calls Optimal, and zip's default) for 10–17 % less CPU on source trees.
        /// </summary>
        public static DeflateStream Open(Stream output, CompressionLevel level) =>
            level == CompressionLevel.Optimal && OptimalLevel.Value is { } optimal ? optimal(output) : new DeflateStream(output, level, leaveOpen: true);

        /// <summary>Whether deflating <paramref name="raw"/> bytes into <paramref name="packed"/> saves at least 1 %.</summary>
        public static bool Shrinks(long packed, long raw) => packed * 100 <= raw * 99;

        /// <summary>Where the blocks judged after the first start: the middle and the end of a file longer than one block.</summary>
        public static IEnumerable<long> LaterBlocks(long length)
        {
            if (length > FirstBlock)
            {
                yield return (length / 2) - (FirstBlock / 2);
                yield return length - FirstBlock;
            }
        }

        /// <summary>
        /// Deflates one piece of a file: <paramref name="count"/> bytes of <paramref name="raw"/>. A piece that is
        /// not the file's last ends with a sync flush, so the next piece (deflated on its own, maybe on another
        /// thread) follows on at a byte boundary; the last ends the deflate stream. When <paramref name="decided"/>
        /// is given (the file's first piece, its method not yet known), the file is judged on the way: its first
        /// block with a sync flush after it where the runtime has one (<see cref="CanFlush"/>), then, if that did
        /// not shrink, <paramref name="laterBlocksShrink"/>; the verdict goes to <paramref name="decided"/> at once,
        /// and if the file is to be stored the deflating stops there and null is returned.
        /// </summary>
        public static ArraySegment<byte>? Deflate(byte[] raw, int count, bool last, CompressionLevel level, BufferPool pool, Action<bool>? decided, Func<bool>? laterBlocksShrink, bool canFlush)
        {
            bool Verdict(bool firstShrinks)
            {
                var deflate = firstShrinks || (laterBlocksShrink != null && laterBlocksShrink());
                decided!(deflate);
                return deflate;
            }

            if (decided != null && (count > FirstBlock || !last) && !canFlush)
            {
                // Without a flush the first block's verdict costs a deflate of its own.
                if (!Verdict(BlockShrinks(raw, 0, Math.Min(count, FirstBlock), level, pool)))
                {
                    return null;
                }

                decided = null;
            }

            var output = new PieceOutput(pool, count / 2 + 256);
            var keep = true;
            using (var deflate = Open(output, level))
            {
                var done = 0;
                if (decided != null && count > FirstBlock)
                {
                    deflate.Write(raw, 0, FirstBlock);
                    deflate.Flush();
                    keep = Verdict(Shrinks(output.Length, FirstBlock));
                    done = FirstBlock;
                }

                if (keep)
                {
                    deflate.Write(raw, done, count - done);
                    if (!last)
                    {
                        deflate.Flush();
                        output.Seal();
                    }
                }
                else
                {
                    output.Seal();
                }
            }

            if (decided != null && count <= FirstBlock)
            {
                // A piece no longer than a block is judged by all of it.
                keep = Verdict(Shrinks(output.Length, count));
            }

            if (!keep)
            {
                output.Release();
                return null;
            }

            return output.Segment;
        }

        /// <summary>The verdict on one block deflated on its own.</summary>
        public static bool BlockShrinks(byte[] data, int offset, int count, CompressionLevel level, BufferPool pool)
        {
            var output = new PieceOutput(pool, count / 2 + 256);
            using (var deflate = Open(output, level))
            {
                deflate.Write(data, offset, count);
            }

            var shrinks = Shrinks(output.Length, count);
            output.Release();
            return shrinks;
        }

        /// <summary>
        /// new DeflateStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true), which
        /// netstandard2.0 cannot name; null on runtimes without it.
        /// </summary>
        private static Func<Stream, DeflateStream>? AtZlibLevel(int level)
        {
            var options = typeof(DeflateStream).Assembly.GetType("System.IO.Compression.ZLibCompressionOptions");
            var constructor = options == null ? null : typeof(DeflateStream).GetConstructor(new[] { typeof(Stream), options, typeof(bool) });
            var levelProperty = options?.GetProperty("CompressionLevel");
            if (constructor == null || levelProperty == null)
            {
                return null;
            }

            var output = Expression.Parameter(typeof(Stream), "output");
            var settings = Expression.MemberInit(Expression.New(options!), Expression.Bind(levelProperty, Expression.Constant(level)));
            return Expression.Lambda<Func<Stream, DeflateStream>>(Expression.New(constructor, output, settings, Expression.Constant(true)), output).Compile();
        }

        private static bool FlushEndsWithSyncMarker()
        {
            using var output = new MemoryStream();
            using var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true);
            var text = new byte[4096];
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = (byte)('a' + (i % 7));
            }

            deflate.Write(text, 0, text.Length);
            deflate.Flush();
            var written = output.ToArray();
            return written.Length > 4
                && written[written.Length - 4] == 0 && written[written.Length - 3] == 0
                && written[written.Length - 2] == 0xFF && written[written.Length - 1] == 0xFF;
        }
    }

    /// <summary>
    /// Where a piece is deflated to: a growing buffer from the archive's <see cref="BufferPool"/>. Once sealed,
    /// further writes (the end block a DeflateStream adds when it is disposed after a flush) are dropped.
    /// </summary>
    internal sealed class PieceOutput : Stream
    {
        private readonly BufferPool _pool;
        private byte[] _buffer;
        private int _length;
        private bool _sealed;

        public PieceOutput(BufferPool pool, int capacity)
        {
            _pool = pool;
            _buffer = pool.Rent(capacity);
        }

        public ArraySegment<byte> Segment => new ArraySegment<byte>(_buffer, 0, _length);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public void Seal() => _sealed = true;

        public void Release() => _pool.Return(_buffer);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_sealed)
            {
                return;
            }

            if (_length + count > _buffer.Length)
            {
                var larger = _pool.Rent(Math.Max(_length + count, _buffer.Length * 2));
                Buffer.BlockCopy(_buffer, 0, larger, 0, _length);
                _pool.Return(_buffer);
                _buffer = larger;
            }

            Buffer.BlockCopy(buffer, offset, _buffer, _length, count);
            _length += count;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>
    /// Buffers handed out again once written: every file read and every piece deflated would otherwise be a new
    /// array (the big ones on the large object heap, zeroed and collected only by full collections), and twenty
    /// deployments at once would leave hundreds of megabytes of them for the collector. Sizes are rounded up to
    /// a power of two; each size has its own lock-free queue, since workers take buffers and writers give them back.
    /// </summary>
    internal sealed class BufferPool
    {
        private const int SmallestShift = 8;
        private const int LargestShift = 24;
        private readonly ConcurrentQueue<byte[]>[] _free = new ConcurrentQueue<byte[]>[LargestShift + 1];

        public BufferPool()
        {
            for (var shift = SmallestShift; shift <= LargestShift; shift++)
            {
                _free[shift] = new ConcurrentQueue<byte[]>();
            }
        }

        /// <summary>A buffer of at least <paramref name="minimum"/> bytes.</summary>
        public byte[] Rent(int minimum)
        {
            var shift = SmallestShift;
            while ((1 << shift) < minimum)
            {
                shift++;
            }

            if (shift > LargestShift)
            {
                return new byte[minimum];
            }

            return _free[shift].TryDequeue(out var buffer) ? buffer : new byte[1 << shift];
        }

        /// <summary>Lets go of every buffer held.</summary>
        public void Clear()
        {
            for (var shift = SmallestShift; shift <= LargestShift; shift++)
            {
                while (_free[shift].TryDequeue(out _))
                {
                }
            }
        }

        /// <summary>Takes back a buffer <see cref="Rent"/> gave (others are left to the collector).</summary>
        public void Return(byte[] buffer)
        {
            var length = buffer.Length;
            if (length >= 1 << SmallestShift && length <= 1 << LargestShift && (length & (length - 1)) == 0)
            {
                var shift = SmallestShift;
                while ((1 << shift) < length)
                {
                    shift++;
                }

                _free[shift].Enqueue(buffer);
            }
        }
    }
}
