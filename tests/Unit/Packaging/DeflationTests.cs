using System.IO.Compression;
using System.Text;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>
/// Which files are deflated and which stored, and that every path of the packer decides alike: a file packed
/// whole, in pieces deflated on several threads, or streamed through deflate by the writer (where the runtime
/// cannot flush deflate, Windows PowerShell) comes out the same.
/// </summary>
[Collection(TemporaryArchives.Name)]
public class DeflationTests
{
    private const ushort Stored = 0;
    private const ushort Deflated = 8;

    /// <summary>Whole files (pieces bigger than any file), pieces of two blocks, and the writer streaming every file past two blocks.</summary>
    public static readonly TheoryData<string> Paths = new() { "whole", "pieces", "streamed" };

    private static PackingOptions Options(string path) => path switch
    {
        "whole" => new PackingOptions(64 * 1024 * 1024, inPieces: true),
        "pieces" => new PackingOptions(2 * Deflation.FirstBlock, inPieces: true),
        _ => new PackingOptions(2 * Deflation.FirstBlock, inPieces: false),
    };

    [Fact]
    public void The_runtime_flushes_deflate_at_a_byte_boundary_so_big_files_are_deflated_in_pieces()
    {
        Assert.True(Deflation.CanFlush);
        Assert.True(PackingOptions.Default.InPieces);
    }

    [Fact]
    public void Optimal_is_zlib_level_5_where_the_runtime_can_name_a_level()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"row {i}, value {i * 37 % 1009}\n")));
        byte[] Deflate(Func<Stream, DeflateStream> open)
        {
            using var output = new MemoryStream();
            using (var deflate = open(output))
            {
                deflate.Write(text);
            }

            return output.ToArray();
        }

        var ours = Deflate(output => Deflation.Open(output, CompressionLevel.Optimal));

        Assert.Equal(Deflate(output => new DeflateStream(output, new ZLibCompressionOptions { CompressionLevel = 5 }, leaveOpen: true)), ours);
        Assert.NotEqual(Deflate(output => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)), ours);
    }

    [Fact]
    public void The_runtime_CRC_matches_the_table_and_pieces_combine_into_the_whole()
    {
        var data = new byte[1_000_003];
        new Random(5).NextBytes(data);
        Assert.True(Crc32.IsNative);
        foreach (var (offset, count) in new[] { (0, 1), (3, 7), (1, 65_536), (17, 999_980), (0, data.Length) })
        {
            Assert.Equal(Crc32.Managed(0, data, offset, count), Crc32.Append(0, data, offset, count));
        }

        var whole = Crc32.Append(0, data, 0, data.Length);
        foreach (var cut in new[] { 0, 1, 4096, 500_000, data.Length - 1, data.Length })
        {
            var first = Crc32.Append(0, data, 0, cut);
            var second = Crc32.Append(0, data, cut, data.Length - cut);
            Assert.Equal(whole, Crc32.Combine(first, second, data.Length - cut));
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_path_stores_or_deflates_a_file_alike_and_gives_back_its_bytes(string path)
    {
        using var app = WriteSamples(new TempFolder());
        var folder = AppFolder.Scan(app.Path, CancellationToken.None);

        var reference = await Pack(folder, Options("whole"));
        var packed = await Pack(folder, Options(path));

        foreach (var file in folder.Files)
        {
            var bytes = File.ReadAllBytes(file.FullPath);
            Assert.True(bytes.AsSpan().SequenceEqual(packed.Contents[file.RelativePath]), file.RelativePath);
            Assert.Equal(reference.Methods[file.RelativePath], packed.Methods[file.RelativePath]);
            if (packed.Methods[file.RelativePath] == Stored)
            {
                Assert.Equal(bytes.Length, packed.CompressedSizes[file.RelativePath]);
            }
        }

        Assert.Equal(Deflated, packed.Methods["src/big.txt"]);
        Assert.Equal(Stored, packed.Methods["models/weights.bin"]);
        Assert.Equal(Stored, packed.Methods["noise.dat"]);
        Assert.Equal(Deflated, packed.Methods["binary-header.log"]);
    }

    [Theory]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.Fastest)]
    public async Task Detection_never_stores_a_file_that_compresses(CompressionLevel level)
    {
        using var app = new TempFolder();
        var random = new Random(23);
        var samples = new Dictionary<string, byte[]>
        {
            ["source.py"] = Text(random, 300_000, i => $"def handler_{i % 97}(event, context):\n    return {{'status': {i % 5}, 'items': [x * {i % 13} for x in range({i % 17})]}}\n"),
            ["events.jsonl"] = Text(random, 700_000, i => $"{{\"id\":\"{random.Next():x8}\",\"user\":{random.Next(5000)},\"action\":\"{(i % 3 == 0 ? "click" : "view")}\",\"ts\":{1700000000 + i}}}\n"),
            ["metrics.csv"] = Text(random, 400_000, i => $"{i},{random.NextDouble():0.0000},{random.Next(100)},{(i % 2 == 0 ? "ok" : "retry")}\n"),
            ["bundle.min.js"] = Text(random, 200_000, i => $"function a{random.Next(400)}(b,c){{return b.{(i % 2 == 0 ? "map" : "filter")}(d=>d.v{random.Next(40)}>c)}};"),
            ["tiny.txt"] = Encoding.ASCII.GetBytes("hello hello hello hello hello hello hello\n"),
            ["zeros.bin"] = new byte[500_000],
            ["skewed.bin"] = Skewed(random, 400_000),
            ["signal.f32"] = Signal(300_000),
            ["header-then-text.dat"] = [.. Noise(random, 100_000), .. Text(random, 400_000, i => $"record {i} of the table, value {i * 7 % 1000}\n")],
            ["text-between-noise.dat"] = [.. Noise(random, 150_000), .. Text(random, 150_000, i => $"row {i}: ok\n"), .. Noise(random, 150_000)],
        };
        foreach (var (name, bytes) in samples)
        {
            File.WriteAllBytes(Path.Combine(app.Path, name), bytes);
        }

        var folder = AppFolder.Scan(app.Path, CancellationToken.None);
        foreach (var path in new[] { "whole", "pieces", "streamed" })
        {
            var packed = await Pack(folder, Options(path), level);
            foreach (var (name, bytes) in samples)
            {
                if (SavesOnePercent(DeflatedLength(bytes, level), bytes.Length))
                {
                    Assert.True(packed.Methods[name] == Deflated, $"{name} ({path}, {level}) compresses but was stored");
                }
            }
        }

        // Not vacuous: every sample but the skewed bytes (which Fastest's fixed codes cannot shrink) compresses.
        Assert.All(samples.Where(s => !(level == CompressionLevel.Fastest && s.Key == "skewed.bin")), s => Assert.True(SavesOnePercent(DeflatedLength(s.Value, level), s.Value.Length), s.Key));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Data_deflate_cannot_shrink_is_stored_whatever_its_name(string path)
    {
        using var app = new TempFolder();
        var random = new Random(29);
        var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(Text(random, 2_000_000, i => $"log line {i} {random.Next()}\n"));
        }

        File.WriteAllBytes(Path.Combine(app.Path, "weights.safetensors"), Noise(random, 700_000));
        File.WriteAllBytes(Path.Combine(app.Path, "backup.data"), gzip.ToArray());
        File.WriteAllBytes(Path.Combine(app.Path, "small.key"), Noise(random, 3_000));

        var packed = await Pack(AppFolder.Scan(app.Path, CancellationToken.None), Options(path));

        Assert.Equal(Stored, packed.Methods["weights.safetensors"]);
        Assert.Equal(Stored, packed.Methods["backup.data"]);
        Assert.Equal(Stored, packed.Methods["small.key"]);
    }

    private static TempFolder WriteSamples(TempFolder app)
    {
        var random = new Random(17);
        app.With("main.py", "print('hi')\n").With("empty.txt", string.Empty).With("src/.keep").With("models/.keep");
        File.WriteAllBytes(Path.Combine(app.Path, "src/big.txt"), Text(random, 1_000_000, i => $"line {i} of some source text, value {i % 101}\n"));
        File.WriteAllBytes(Path.Combine(app.Path, "models/weights.bin"), Noise(random, 1_000_000));
        File.WriteAllBytes(Path.Combine(app.Path, "noise.dat"), Noise(random, 50_000));
        File.WriteAllBytes(Path.Combine(app.Path, "exact-block.txt"), Text(random, Deflation.FirstBlock, i => $"{i},"));
        File.WriteAllBytes(Path.Combine(app.Path, "two-pieces.bin"), Noise(random, 4 * Deflation.FirstBlock));
        File.WriteAllBytes(Path.Combine(app.Path, "photo.png"), Text(random, 300_000, i => "compressible, but a known format "));
        File.WriteAllBytes(Path.Combine(app.Path, "binary-header.log"), [.. Noise(random, 70_000), .. Text(random, 600_000, i => $"GET /item/{i % 300} 200\n")]);
        return app;
    }

    private static byte[] Text(Random random, int length, Func<int, string> line)
    {
        var text = new StringBuilder(length + 200);
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(line(i));
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, length));
    }

    private static byte[] Noise(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Bytes with an uneven distribution and no repeats to speak of: only entropy coding shrinks them.</summary>
    private static byte[] Skewed(Random random, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)Math.Min(255, (int)(-Math.Log(1 - random.NextDouble()) * 24));
        }

        return bytes;
    }

    /// <summary>A smooth signal as 32-bit floats, the way sensor data or audio is kept.</summary>
    private static byte[] Signal(int length)
    {
        var values = new float[length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)Math.Round(Math.Sin(i / 40.0) * 1000) / 8;
        }

        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static bool SavesOnePercent(long deflated, long length) => deflated <= length * 0.99;

    private static long DeflatedLength(byte[] bytes, CompressionLevel level)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, level, leaveOpen: true))
        {
            deflate.Write(bytes);
        }

        return output.Length;
    }

    private static async Task<PackedArchive> Pack(AppFolder folder, PackingOptions options, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var archive = await new FolderArchive(folder, level, options: options).SaveAsync(NullObserver.Instance, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(archive.Path);
        var packed = new PackedArchive();
        foreach (var (name, method, compressed) in CentralDirectory(bytes))
        {
            packed.Methods[name] = method;
            packed.CompressedSizes[name] = compressed;
        }

        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
        {
            using var content = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(content);
            }

            packed.Contents[entry.FullName] = content.ToArray();
        }

        return packed;
    }

    /// <summary>Name, compression method and compressed size of each entry, read from the central directory as written.</summary>
    private static IEnumerable<(string Name, ushort Method, long Compressed)> CentralDirectory(byte[] zip)
    {
        var end = zip.Length - 22;
        while (BitConverter.ToUInt32(zip, end) != 0x06054b50)
        {
            end--;
        }

        var count = BitConverter.ToUInt16(zip, end + 10);
        var at = (int)BitConverter.ToUInt32(zip, end + 16);
        for (var i = 0; i < count; i++)
        {
            var nameLength = BitConverter.ToUInt16(zip, at + 28);
            var extraLength = BitConverter.ToUInt16(zip, at + 30);
            var commentLength = BitConverter.ToUInt16(zip, at + 32);
            yield return (Encoding.UTF8.GetString(zip, at + 46, nameLength), BitConverter.ToUInt16(zip, at + 10), BitConverter.ToUInt32(zip, at + 20));
            at += 46 + nameLength + extraLength + commentLength;
        }
    }

    private sealed class PackedArchive
    {
        public Dictionary<string, ushort> Methods { get; } = [];

        public Dictionary<string, long> CompressedSizes { get; } = [];

        public Dictionary<string, byte[]> Contents { get; } = [];
    }
}
