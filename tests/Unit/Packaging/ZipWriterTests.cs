using System.IO.Compression;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>The parallel archive writer produces what the simple path would: the same entries, byte for byte.</summary>
[Collection(TemporaryArchives.Name)]
public class ZipWriterTests
{
    [Fact]
    public async Task Every_kind_of_file_comes_back_byte_identical()
    {
        var random = new Random(11);
        var big = new byte[ArchiveWriter.DefaultPieceSize + 123_457];
        random.NextBytes(big);
        var text = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} of some source text\n"));
        using var app = new TempFolder().With("main.py", "print('hi')").With("empty.txt", string.Empty).With("src/big.txt", text).With("a/b/c/deep.json", "{}");
        File.WriteAllBytes(Path.Combine(app.Path, "image.png"), big[..50_000]);
        File.WriteAllBytes(Path.Combine(app.Path, "blob.bin"), big);
        File.WriteAllBytes(Path.Combine(app.Path, "video.mp4"), big);
        var folder = AppFolder.Scan(app.Path, CancellationToken.None);

        using var archive = await new FolderArchive(folder).SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var zip = ZipFile.OpenRead(archive.Path);

        Assert.Equal(
            ["a/", "a/b/", "a/b/c/", "a/b/c/deep.json", "blob.bin", "empty.txt", "image.png", "main.py", "src/", "src/big.txt", "video.mp4"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        foreach (var file in folder.Files)
        {
            using var entry = zip.GetEntry(file.RelativePath)!.Open();
            using var copy = new MemoryStream();
            entry.CopyTo(copy);
            Assert.True(File.ReadAllBytes(file.FullPath).AsSpan().SequenceEqual(copy.ToArray()), file.RelativePath);
        }

        Assert.True(zip.GetEntry("src/big.txt")!.CompressedLength < text.Length / 4);
        Assert.Equal(zip.GetEntry("image.png")!.Length, zip.GetEntry("image.png")!.CompressedLength);
    }

    [Fact]
    public void More_entries_than_a_classic_zip_holds_use_Zip64_records()
    {
        using var buffer = new MemoryStream();
        var writer = new ZipWriter(buffer);
        var nothing = new CompressedData(0, 0, 0, new ArraySegment<byte>([]));
        for (var i = 0; i < 70_000; i++)
        {
            writer.AddPrepared($"f{i}.txt", new DateTime(2026, 1, 1), EntryModes.File, nothing);
        }

        writer.Finish("many");
        buffer.Position = 0;

        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
        Assert.Equal(70_000, zip.Entries.Count);
        Assert.Equal("f69999.txt", zip.Entries[^1].FullName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("The quick brown fox jumps over the lazy dog")]
    public void Crc32_matches_the_standard(string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        var expected = text switch { "" => 0u, "a" => 0xE8B7BE43u, _ => 0x414FA339u };

        Assert.Equal(expected, Crc32.Append(0, bytes, 0, bytes.Length));
    }
}
