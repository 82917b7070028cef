using System.Diagnostics;
using System.IO.Compression;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>What a Linux unpacker gets from the archive: modes, only files and folders, and a bounded size.</summary>
[Collection(TemporaryArchives.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ArchiveModeTests
{
    private const int RegularFile = 0x8000;
    private const int Folder = 0x4000;

    private static int Mode(ZipArchiveEntry entry) => (entry.ExternalAttributes >> 16) & 0xFFFF;

    private static void SetMode(TempFolder app, string path, string octal) =>
        File.SetUnixFileMode(Path.Combine(app.Path, path), (UnixFileMode)Convert.ToInt32(octal, 8));

    [Fact]
    public async Task Files_get_0644_or_0755_from_their_execute_bit_and_folders_0755()
    {
        var big = new byte[ArchiveWriter.DefaultPieceSize + 10];
        using var app = new TempFolder().With("main.py").With("private.txt").With("run.sh", "#!/bin/sh\necho hi\n").With("bin/tool").With("src/lib/util.py");
        File.WriteAllBytes(Path.Combine(app.Path, "bin/big-tool"), big);
        SetMode(app, "main.py", "644");
        SetMode(app, "private.txt", "600");
        SetMode(app, "run.sh", "755");
        SetMode(app, "bin/tool", "700");
        SetMode(app, "bin/big-tool", "744");
        SetMode(app, "src/lib", "700");

        using var archive = await new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None)).SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var zip = ZipFile.OpenRead(archive.Path);

        var modes = zip.Entries.ToDictionary(e => e.FullName, Mode);
        Assert.Equal(RegularFile | 0x1A4, modes["main.py"]);
        Assert.Equal(RegularFile | 0x1A4, modes["private.txt"]);
        Assert.Equal(RegularFile | 0x1ED, modes["run.sh"]);
        Assert.Equal(RegularFile | 0x1ED, modes["bin/tool"]);
        Assert.Equal(RegularFile | 0x1ED, modes["bin/big-tool"]);
        Assert.Equal(Folder | 0x1ED, modes["src/lib/"]);
        Assert.Equal(Folder | 0x1ED, modes["bin/"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Where_files_have_no_execute_bit_a_script_that_names_its_interpreter_is_executable(bool inPieces)
    {
        Assert.Equal(EntryModes.Executable, EntryModes.ForFile(null, startsWithShebang: true));
        Assert.Equal(EntryModes.File, EntryModes.ForFile(null, startsWithShebang: false));
        Assert.Equal(EntryModes.File, EntryModes.ForFile(false, startsWithShebang: true));

        // Files as a Windows walk gives them (no execute bit), packed whole and, past a piece, in pieces or streamed.
        var script = "#!/bin/sh\n" + new string('#', 200_000);
        using var app = new TempFolder().With("run", "#!/bin/sh\necho hi\n").With("data", "plain").With("big-run", script).With("big-data", script[2..]);
        var files = new[] { "big-data", "big-run", "data", "run" }
            .Select(name => new FileInfo(Path.Combine(app.Path, name)))
            .Select(info => new AppFile(info.Name, app.Path, info.Length, info.LastWriteTime, isExecutable: null))
            .ToList();
        var folder = new AppFolder(app.Path, files, []);

        using var archive = await new FolderArchive(folder, options: new PackingOptions(Deflation.FirstBlock, inPieces)).SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var zip = ZipFile.OpenRead(archive.Path);

        Assert.Equal(RegularFile | 0x1ED, Mode(zip.GetEntry("run")!));
        Assert.Equal(RegularFile | 0x1A4, Mode(zip.GetEntry("data")!));
        Assert.Equal(RegularFile | 0x1ED, Mode(zip.GetEntry("big-run")!));
        Assert.Equal(RegularFile | 0x1A4, Mode(zip.GetEntry("big-data")!));
    }

    [Fact]
    public async Task Names_stay_UTF8_and_times_survive()
    {
        using var app = new TempFolder().With("données/café.py");
        var written = new DateTime(2025, 7, 14, 10, 30, 42, DateTimeKind.Local);
        File.SetLastWriteTime(Path.Combine(app.Path, "données/café.py"), written);

        using var archive = await new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None)).SaveAsync(NullObserver.Instance, CancellationToken.None);
        using var zip = ZipFile.OpenRead(archive.Path);

        var entry = zip.GetEntry("données/café.py")!;
        Assert.Equal(written, entry.LastWriteTime.DateTime);
    }

    [Fact]
    public void Named_pipes_and_sockets_are_left_out_with_the_reason_and_never_opened()
    {
        using var app = new TempFolder().With("main.py");
        SpecialFiles.MakeFifo(Path.Combine(app.Path, "pipe"));
        using var socket = SpecialFiles.MakeSocket(Path.Combine(app.Path, "app.sock"));

        var scanned = AppFolder.Scan(app.Path, CancellationToken.None);

        Assert.Equal(["main.py"], scanned.Files.Select(f => f.RelativePath));
        Assert.Equal(
            ["app.sock (socket, not a regular file: only files and folders are packed)", "pipe (named pipe (FIFO), not a regular file: only files and folders are packed)"],
            scanned.Excluded.Select(e => e.ToString()));
    }

    [Fact]
    public async Task An_ignore_file_that_is_a_named_pipe_is_not_read()
    {
        using var app = new TempFolder().With("main.py");
        SpecialFiles.MakeFifo(Path.Combine(app.Path, ".gitignore"));

        var scan = Task.Run(() => AppFolder.Scan(app.Path, CancellationToken.None));

        Assert.Same(scan, await Task.WhenAny(scan, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(["main.py"], (await scan).Files.Select(f => f.RelativePath));
    }

    [Fact]
    public async Task Cancelling_does_not_wait_for_a_packer_stuck_opening_a_pipe()
    {
        // A file replaced by a named pipe after the walk: opening it blocks until a writer comes, and nothing interrupts that.
        using var app = new TempFolder().With("main.py").With("late.txt");
        var scanned = AppFolder.Scan(app.Path, CancellationToken.None);
        var pipe = Path.Combine(app.Path, "late.txt");
        File.Delete(pipe);
        SpecialFiles.MakeFifo(pipe);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        try
        {
            // Bounded here too: a packer that ignored the token would otherwise hang the suite rather than fail this test.
            var saving = Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FolderArchive(scanned).SaveAsync(NullObserver.Instance, cancel.Token));
            Assert.Same(saving, await Task.WhenAny(saving, Task.Delay(TimeSpan.FromSeconds(5))));
            await saving;

            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
        finally
        {
            SpecialFiles.Unblock(pipe);
        }
    }

    [Fact]
    public async Task The_size_limit_is_on_the_archive_not_on_the_files()
    {
        using var app = new TempFolder().With("main.py");
        using (var sparse = File.Create(Path.Combine(app.Path, "zeros.bin")))
        {
            sparse.SetLength(30L * 1024 * 1024);
        }

        using var archive = await new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None), CompressionLevel.Optimal, maxBytes: 1024 * 1024).SaveAsync(NullObserver.Instance, CancellationToken.None);

        Assert.InRange(archive.Length, 1, 1024 * 1024);
    }

    [Fact]
    public async Task An_archive_that_grows_past_the_limit_fails_and_leaves_no_file()
    {
        using var app = new TempFolder().With("main.py");
        File.WriteAllBytes(Path.Combine(app.Path, "noise.bin"), new Random(3).GetItems(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 3 * 1024 * 1024));
        var before = Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip").ToHashSet();

        var error = await Assert.ThrowsAsync<PackagingException>(() =>
            new FolderArchive(AppFolder.Scan(app.Path, CancellationToken.None), CompressionLevel.Optimal, maxBytes: 1024 * 1024).SaveAsync(NullObserver.Instance, CancellationToken.None));

        Assert.Equal(PackagingFailure.ArchiveTooLarge, error.Failure);
        Assert.Contains("grew past -MaxArchiveSize 1.0 MB", error.Message);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "kernel-*.zip"), f => !before.Contains(f));
    }

    [Fact]
    public void A_temporary_archive_that_cannot_be_deleted_is_a_warning_not_a_failure()
    {
        var warnings = new List<string>();
        var archive = new TemporaryArchive("/tmp/kernel-locked.zip", _ => throw new UnauthorizedAccessException("Access to the path is denied."));

        archive.Delete(new RecordingObserver(warnings));
        archive.Dispose();

        Assert.Equal(["Could not delete the temporary archive '/tmp/kernel-locked.zip' (Access to the path is denied.); the deployment is not affected. Delete the file yourself."], warnings);
    }

    private sealed class RecordingObserver(List<string> warnings) : IOperationObserver
    {
        public void Verbose(string message) { }

        public void Debug(string message) { }

        public void Warning(string message) => warnings.Add(message);

        public void Log(KernelLogEntry entry) { }

        public void Progress(OperationProgress progress) { }
    }
}
