using System.IO.Compression;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>The ZIP a deploy uploads.</summary>
[Collection(TemporaryArchives.Name)]
public class AppArchiveTests
{
    [Fact]
    public async Task Entries_are_relative_slash_paths_with_a_folder_entry_per_folder()
    {
        using var app = new TempFolder().With("main.py", "print('hi')").With("src/lib/util.py").With(".env", "A=1");

        using var archive = await new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None)).SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var zip = ZipFile.OpenRead(archive.Path);

        Assert.Equal([".env", "main.py", "src/", "src/lib/", "src/lib/util.py"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("main.py")!.Open());
        Assert.Equal("print('hi')", reader.ReadToEnd());
    }

    [Fact]
    public async Task Every_archive_is_unique_so_its_checksum_names_one_upload_and_stays_a_valid_zip()
    {
        using var app = new TempFolder().With("main.py", "same content");
        var folder = AppFolder.Scan(app.Path, CancellationToken.None);
        var archive = new FolderArchive(folder);

        using var first = await archive.SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var again = await archive.SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var second = await new FolderArchive(folder).SaveAsync(NullObserver.Instance, CancellationToken.None);

        static string Hash(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Equal(Hash(first.Path), Hash(again.Path));
        Assert.NotEqual(Hash(first.Path), Hash(second.Path));
        using var zip = ZipFile.OpenRead(first.Path);
        Assert.StartsWith("kernel-upload ", zip.Comment);
        Assert.Equal(["main.py"], zip.Entries.Select(e => e.FullName));
    }

    [Theory]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.NoCompression)]
    public async Task Every_compression_level_packs_the_same_bytes(CompressionLevel level)
    {
        var text = string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i % 37} of a repetitive source file\n"));
        var noise = new byte[300_000];
        new Random(7).NextBytes(noise);
        using var app = new TempFolder().With("main.py", text).With("static/photo.png", "").With("big.txt", "");
        File.WriteAllBytes(Path.Combine(app.Path, "static/photo.png"), noise);
        File.WriteAllText(Path.Combine(app.Path, "big.txt"), string.Concat(Enumerable.Repeat(text, 40)));

        using var archive = await new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None), level).SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var zip = ZipFile.OpenRead(archive.Path);

        foreach (var name in new[] { "main.py", "static/photo.png", "big.txt" })
        {
            var entry = zip.GetEntry(name)!;
            using var content = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(content);
            }

            Assert.Equal(File.ReadAllBytes(Path.Combine(app.Path, name)), content.ToArray());
            var stored = entry.CompressedLength == entry.Length;
            Assert.Equal(level == CompressionLevel.NoCompression || name == "static/photo.png", stored);
        }
    }

    [Fact]
    public async Task Fastest_makes_a_bigger_archive_than_Optimal()
    {
        using var app = new TempFolder();
        var random = new Random(11);
        var words = new[] { "deploy", "kernel", "browser", "agent", "session", "invoke", "action", "status", "running", "version" };
        for (var f = 0; f < 40; f++)
        {
            app.With($"src/module{f}.js", string.Join(" ", Enumerable.Range(0, 6000).Select(_ => words[random.Next(words.Length)] + random.Next(100))));
        }

        var folder = AppFolder.Scan(app.Path, CancellationToken.None);
        using var optimal = await new FolderArchive(folder, CompressionLevel.Optimal).SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var fastest = await new FolderArchive(folder, CompressionLevel.Fastest).SaveAsync(NullObserver.Instance, CancellationToken.None);

        Assert.True(fastest.Length > optimal.Length, $"Fastest {fastest.Length} bytes, Optimal {optimal.Length} bytes");
    }

    [Fact]
    public async Task The_temporary_archive_is_deleted_when_disposed()
    {
        using var app = new TempFolder().With("main.py");
        var archive = await new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None)).SaveAsync(NullObserver.Instance, CancellationToken.None);
        Assert.True(File.Exists(archive.Path));

        archive.Dispose();

        Assert.False(File.Exists(archive.Path));
    }

    [Fact]
    public async Task A_cancelled_archive_leaves_no_temporary_file()
    {
        using var app = new TempFolder();
        for (var i = 0; i < 50; i++)
        {
            app.With($"file{i}.txt", new string('x', 100_000));
        }

        var before = Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip").ToHashSet();
        using var cancel = new CancellationTokenSource();
        var observer = new CancelOnFirstProgress(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None)).SaveAsync(observer, cancel.Token));

        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip"), f => !before.Contains(f));
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_fails_the_archive_loudly_and_leaves_no_temporary_file()
    {
        using var app = new TempFolder().With("main.py").With("data.txt", "x");
        var scanned = AppFolder.Scan(app.Path, CancellationToken.None);
        File.Delete(Path.Combine(app.Path, "data.txt"));
        var before = Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip").ToHashSet();

        var error = await Assert.ThrowsAsync<PackagingException>(() => new FolderArchive(scanned).SaveAsync(NullObserver.Instance, CancellationToken.None));

        Assert.Equal(PackagingFailure.FileUnreadable, error.Failure);
        Assert.Contains("Nothing was uploaded", error.Message);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip"), f => !before.Contains(f));
    }

    private sealed class CancelOnFirstProgress(CancellationTokenSource cancel) : IOperationObserver
    {
        public void Verbose(string message) { }

        public void Debug(string message) { }

        public void Warning(string message) { }

        public void Log(KernelLogEntry entry) { }

        public void Progress(OperationProgress progress) => cancel.Cancel();
    }
}
