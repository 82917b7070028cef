// The stages of New-KernelDeployment's packing, each timed alone on one thread, with the module's own code
// (reached by reflection: the bench measures the module as built, and fails loudly if the names it uses move).
// Compiled by Invoke-Benchmark.ps1 with Add-Type; Linux only (thread CPU time from clock_gettime).
using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;

namespace KernelBench
{
    /// <summary>CPU seconds of each stage and what went through it.</summary>
    public sealed class StageTimes
    {
        public double WalkSeconds { get; set; }
        public double ReadSeconds { get; set; }
        public double CrcSeconds { get; set; }
        public double DeflateSeconds { get; set; }
        public double HashSeconds { get; set; }
        public int Files { get; set; }
        public long Bytes { get; set; }
        public int DeflatedFiles { get; set; }
        public long DeflatedBytes { get; set; }
        public long StoredBytes { get; set; }
        /// <summary>The entries' data as ours packs them (without ZIP headers).</summary>
        public long PackedBytes { get; set; }
        public bool NativeCrc { get; set; }
        public bool InPieces { get; set; }
    }

    public static class PipelineStages
    {
        private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID).</summary>
        public static double ThreadCpu()
        {
            ClockGetTime(3, out var time);
            return time.Seconds + time.Nanoseconds / 1e9;
        }

        /// <summary>CPU time of the whole process (all threads), for the walk, which uses every core.</summary>
        public static double ProcessCpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

        /// <summary>
        /// Walks <paramref name="root"/> with the module's walk, then for every file it would pack: reads it in
        /// pieces as the packer does, checksums them with its CRC-32, runs them through its deflate (which judges
        /// the file and stores what does not shrink) and hashes what comes out with SHA-256, timing each stage.
        /// </summary>
        public static StageTimes Measure(Assembly module, string root, CompressionLevel level)
        {
            var times = new StageTimes();
            var appFolder = module.GetType("Kernel.PowerShell.Packaging.AppFolder", true);
            var scan = appFolder.GetMethod("Scan", Any);
            var crc = (Func<uint, byte[], int, int, uint>)Delegate.CreateDelegate(typeof(Func<uint, byte[], int, int, uint>), module.GetType("Kernel.PowerShell.Packaging.Crc32", true).GetMethod("Append", Any));
            times.NativeCrc = (bool)module.GetType("Kernel.PowerShell.Packaging.Crc32", true).GetProperty("IsNative", Any).GetValue(null);
            var deflation = module.GetType("Kernel.PowerShell.Packaging.Deflation", true);
            var deflate = deflation.GetMethod("Deflate", Any);
            var blockShrinks = deflation.GetMethod("BlockShrinks", Any);
            var laterBlocks = deflation.GetMethod("LaterBlocks", Any);
            var firstBlock = (int)deflation.GetField("FirstBlock", Any).GetValue(null);
            var canFlush = (bool)deflation.GetProperty("CanFlush", Any).GetValue(null);
            times.InPieces = canFlush;
            var writer = module.GetType("Kernel.PowerShell.Packaging.ArchiveWriter", true);
            var pieceSize = (int)writer.GetField("DefaultPieceSize", Any).GetValue(null);
            var knownFormats = (ISet<string>)writer.GetField("AlreadyCompressed", Any).GetValue(null);
            var pool = Activator.CreateInstance(module.GetType("Kernel.PowerShell.Packaging.BufferPool", true), true);
            var giveBack = pool.GetType().GetMethod("Return", Any);

            var cpu = ProcessCpu();
            var folder = scan.Invoke(null, new object[] { root, CancellationToken.None, null });
            times.WalkSeconds = ProcessCpu() - cpu;
            var files = (IEnumerable)appFolder.GetProperty("Files", Any).GetValue(folder);

            var raw = new byte[pieceSize];
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in files)
            {
                var type = file.GetType();
                var path = (string)type.GetProperty("FullPath").GetValue(file);
                var relative = (string)type.GetProperty("RelativePath").GetValue(file);
                var length = (long)type.GetProperty("Length").GetValue(file);
                times.Files++;
                times.Bytes += length;
                var stored = level == CompressionLevel.NoCompression || length == 0 || knownFormats.Contains(Path.GetExtension(relative));
                var decided = false;
                using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
                for (long offset = 0; offset < length || offset == 0; offset += pieceSize)
                {
                    var count = (int)Math.Min(pieceSize, length - offset);
                    var last = offset + count >= length;
                    var start = ThreadCpu();
                    var done = 0;
                    int read;
                    while (done < count && (read = source.Read(raw, done, count - done)) > 0)
                    {
                        done += read;
                    }

                    var afterRead = ThreadCpu();
                    crc(0, raw, 0, count);
                    var afterCrc = ThreadCpu();
                    var output = new ArraySegment<byte>(raw, 0, count);
                    if (!stored)
                    {
                        Action<bool> verdict = null;
                        Func<bool> later = null;
                        if (!decided)
                        {
                            verdict = deflated => stored = !deflated;
                            var head = raw;
                            var held = count;
                            later = () => LaterBlocksShrink(path, length, head, held, firstBlock, level, pool, laterBlocks, blockShrinks);
                        }

                        var packed = deflate.Invoke(null, new object[] { raw, count, last, level, pool, verdict, later, canFlush });
                        decided = true;
                        if (packed != null)
                        {
                            output = (ArraySegment<byte>)packed;
                        }
                    }

                    var afterDeflate = ThreadCpu();
                    sha.AppendData(output.Array, output.Offset, output.Count);
                    var afterHash = ThreadCpu();
                    if (!ReferenceEquals(output.Array, raw))
                    {
                        giveBack.Invoke(pool, new object[] { output.Array });
                    }

                    times.ReadSeconds += afterRead - start;
                    times.CrcSeconds += afterCrc - afterRead;
                    times.DeflateSeconds += afterDeflate - afterCrc;
                    times.HashSeconds += afterHash - afterDeflate;
                    times.PackedBytes += output.Count;
                    if (last)
                    {
                        break;
                    }
                }

                if (stored)
                {
                    times.StoredBytes += length;
                }
                else
                {
                    times.DeflatedFiles++;
                    times.DeflatedBytes += length;
                }
            }

            return times;
        }

        private static bool LaterBlocksShrink(string path, long length, byte[] head, int held, int firstBlock, CompressionLevel level, object pool, MethodInfo laterBlocks, MethodInfo blockShrinks)
        {
            var block = new byte[firstBlock];
            using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            foreach (long offset in (IEnumerable)laterBlocks.Invoke(null, new object[] { length }))
            {
                byte[] data = head;
                var at = (int)offset;
                if (offset + firstBlock > held)
                {
                    source.Position = offset;
                    var done = 0;
                    int read;
                    while (done < firstBlock && (read = source.Read(block, done, firstBlock - done)) > 0)
                    {
                        done += read;
                    }

                    data = block;
                    at = 0;
                }

                if ((bool)blockShrinks.Invoke(null, new object[] { data, at, firstBlock, level, pool }))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>CPU seconds to read a file and to SHA-256 it (in 1 MiB reads): what sending a ready archive spends besides the network.</summary>
        public static double[] ReadAndHash(string path)
        {
            var buffer = new byte[1 << 20];
            double reading = 0, hashing = 0;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            while (true)
            {
                var start = ThreadCpu();
                var read = source.Read(buffer, 0, buffer.Length);
                var afterRead = ThreadCpu();
                if (read == 0)
                {
                    break;
                }

                sha.AppendData(buffer, 0, read);
                hashing += ThreadCpu() - afterRead;
                reading += afterRead - start;
            }

            return new[] { reading, hashing };
        }
    }
}
