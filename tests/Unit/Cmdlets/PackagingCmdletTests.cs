using System.IO.Compression;
using System.Management.Automation;
using System.Net.Http.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>What New-KernelDeployment packs and says about it, checked against the archive the emulator received.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PackagingCmdletTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string App = "import kernel\napp = kernel.App(\"packing\")\n";
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _control;

    public PackagingCmdletTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _shell.Connect(emulator.BaseUri, emulator.ApiKey);
        _control = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
    }

    public void Dispose()
    {
        _control.DeleteAsync("scripts").GetAwaiter().GetResult().Dispose();
        _control.Dispose();
        _shell.Dispose();
    }

    private ScriptResult Deploy(string path, string extra = "") =>
        _shell.Run($"param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Force {extra}", ("path", path));

    /// <summary>The entries of the archive the emulator received for the deployment.</summary>
    private async Task<IReadOnlyList<string>> UploadedEntriesAsync(KernelDeployment deployment)
    {
        var bytes = await _control.GetByteArrayAsync($"deployments/{deployment.Id}/archive");
        using var zip = new ZipArchive(new MemoryStream(bytes));
        return zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
    }

    private async Task<int> DeploymentCountAsync()
    {
        using var client = new HttpClient { BaseAddress = _emulator.BaseUri };
        client.DefaultRequestHeaders.Authorization = new("Bearer", _emulator.ApiKeyText);
        return (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("deployments?limit=100")).GetArrayLength();
    }

    [Fact]
    public async Task Named_pipes_and_sockets_are_skipped_with_a_warning_and_the_deploy_goes_on()
    {
        using var app = new TempFolder().With("main.py", App);
        SpecialFiles.MakeFifo(Path.Combine(app.Path, "events.pipe"));
        using var socket = SpecialFiles.MakeSocket(Path.Combine(app.Path, "app.sock"));

        var result = Deploy(app.Path, "-Verbose -Wait").ThrowOnError();

        Assert.Equal("running", result.Single<KernelDeployment>().Status);
        Assert.Contains("Skipped 'events.pipe': it is a named pipe (FIFO), not a regular file: only files and folders are packed.", result.Warnings);
        Assert.Contains("Skipped 'app.sock': it is a socket, not a regular file: only files and folders are packed.", result.Warnings);
        Assert.Contains(result.Verbose, v => v.Contains("events.pipe (named pipe (FIFO), not a regular file"));
        Assert.Equal(["main.py"], await UploadedEntriesAsync(result.Single<KernelDeployment>()));
    }

    [Fact]
    public async Task Exclude_leaves_out_names_at_any_depth_and_paths_from_the_folder()
    {
        using var app = new TempFolder().With("main.py", App).With("debug.LOG").With("src/trace.log").With("docs/guide.pdf").With("docs/api/ref.pdf")
            .With("src/docs/keep.pdf").With("tests/test_main.py").With("web/a.test.js").With("web/deep/b.test.js").With("web/deep/b.js");

        var result = Deploy(app.Path, "-Exclude *.log, docs/*.pdf, tests, web/**/*.test.js -Verbose").ThrowOnError();

        Assert.Equal(
            ["docs/", "docs/api/", "docs/api/ref.pdf", "main.py", "src/", "src/docs/", "src/docs/keep.pdf", "web/", "web/deep/", "web/deep/b.js"],
            await UploadedEntriesAsync(result.Single<KernelDeployment>()));
        Assert.Contains(result.Verbose, v => v.Contains("tests/ (-Exclude 'tests')") && v.Contains("debug.LOG (-Exclude '*.log')"));
    }

    [Fact]
    public async Task An_env_file_inside_the_folder_is_sent_as_variables_and_not_packed()
    {
        using var app = new TempFolder().With("main.py", App).With(".env.production", "DB_HOST=db.internal\nDB_URL=postgres://${DB_HOST}/shop\n");

        var result = _shell.Run("param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -EnvFile (Join-Path $path .env.production) -Force -Verbose", ("path", app.Path)).ThrowOnError();

        var deployment = result.Single<KernelDeployment>();
        Assert.Equal(["DB_HOST", "DB_URL"], deployment.EnvVars.Keys.Order());
        Assert.Equal(["main.py"], await UploadedEntriesAsync(deployment));
        Assert.Contains(result.Verbose, v => v.Contains(".env.production (given as -EnvFile: its values are sent as environment variables, not packed)"));
        Assert.DoesNotContain(result.Warnings, w => w.Contains(".env.production"));
    }

    [Fact]
    public void WhatIf_with_Verbose_lists_every_file_with_its_mode_and_everything_left_out()
    {
        using var app = new TempFolder().With("main.py", App).With("run.sh", "#!/bin/sh\n").With(".gitignore", "*.tmp\n").With("cache.tmp");
        File.SetUnixFileMode(Path.Combine(app.Path, "run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));

        var result = Deploy(app.Path, "-WhatIf -Verbose").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Contains("Would upload .gitignore (6 B, mode 0644).", result.Verbose);
        Assert.Contains("Would upload run.sh (10 B, mode 0755).", result.Verbose);
        Assert.Contains(result.Verbose, v => v.StartsWith("Would upload main.py (", StringComparison.Ordinal));
        Assert.Contains("Would leave out cache.tmp ('*.tmp' in .gitignore).", result.Verbose);
    }

    [Fact]
    public void MaxArchiveSize_limits_the_bytes_sent_so_a_large_compressible_file_deploys()
    {
        using var app = new TempFolder().With("main.py", App);
        using (var sparse = File.Create(Path.Combine(app.Path, "zeros.bin")))
        {
            sparse.SetLength(40L * 1024 * 1024);
        }

        var result = Deploy(app.Path, "-MaxArchiveSize 1MB -Wait").ThrowOnError();

        Assert.Equal("running", result.Single<KernelDeployment>().Status);
    }

    [Fact]
    public async Task An_archive_that_grows_past_MaxArchiveSize_stops_the_upload_and_creates_nothing()
    {
        using var app = new TempFolder().With("main.py", App);
        File.WriteAllBytes(Path.Combine(app.Path, "noise.bin"), new Random(9).GetItems(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 6 * 1024 * 1024));
        var before = await DeploymentCountAsync();

        var result = Deploy(app.Path, "-MaxArchiveSize 2MB");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ArchiveTooLarge,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("grew past -MaxArchiveSize 2.0 MB while it was packed and sent, so the upload was stopped and nothing was deployed", error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.Equal(before, await DeploymentCountAsync());
    }

    [Theory]
    [InlineData("folder", "is a folder; -EnvFile takes dotenv files")]
    [InlineData("pipe", "is a named pipe (FIFO), not a file")]
    [InlineData("latin1", "is not UTF-8 text")]
    [InlineData("missing", "it does not exist")]
    public void A_bad_env_file_is_a_non_terminating_error_naming_it(string kind, string message)
    {
        using var scratch = new TempFolder();
        var path = Path.Combine(scratch.Path, kind + ".env");
        switch (kind)
        {
            case "folder":
                Directory.CreateDirectory(path);
                break;
            case "pipe":
                SpecialFiles.MakeFifo(path);
                break;
            case "latin1":
                File.WriteAllBytes(path, [(byte)'A', (byte)'=', 0xE9]);
                break;
        }

        var result = _shell.Run(
            "param($app, $envFile) New-KernelDeployment -Path $app -EntrypointRelPath main.py -EnvFile $envFile; 'went on'",
            ("app", RepositoryPaths.Example("page-title")), ("envFile", path));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("InvalidEnvFile,", error.FullyQualifiedErrorId);
        Assert.Equal(path, error.TargetObject);
        Assert.Contains(message, error.Exception.Message);
        Assert.Equal("went on", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void A_named_pipe_given_as_the_archive_is_refused_without_opening_it()
    {
        using var scratch = new TempFolder();
        var pipe = Path.Combine(scratch.Path, "app.zip");
        SpecialFiles.MakeFifo(pipe);

        var error = Assert.Single(_shell.Run("param($zip) New-KernelDeployment -ArchivePath $zip -EntrypointRelPath main.py", ("zip", pipe)).Errors);

        Assert.StartsWith("InvalidArchive,", error.FullyQualifiedErrorId);
        Assert.Contains("is a named pipe (FIFO), not a ZIP file", error.Exception.Message);
    }

    [Theory]
    [InlineData("-Wait")]
    [InlineData("| Wait-KernelDeployment")]
    public async Task Repeated_build_log_lines_all_reach_the_information_stream(string follow)
    {
        using var app = new TempFolder().With("main.py", App);
        using var scripted = await _control.PostAsJsonAsync("scripts/deployment-logs", new { app_name = "packing", lines = new[] { "Collecting x", "", "", "ok", "ok" } });
        Assert.True(scripted.IsSuccessStatusCode);

        var result = _shell.Run($"param($path) New-KernelDeployment -Path $path -EntrypointRelPath main.py -Force {follow}", ("path", app.Path)).ThrowOnError();

        var logs = result.Information.Where(i => i.Tags.Contains("KernelLog")).Select(i => ((KernelLogEntry)i.MessageData).Message).ToList();
        Assert.Equal(["Collecting x", "", "", "ok", "ok"], logs.SkipWhile(l => l != "Collecting x").Take(5));
    }
}
