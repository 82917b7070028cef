using System.IO.Compression;
using System.Management.Automation;
using System.Text.Json;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>
/// The extension cmdlets against the emulator over real HTTP: a folder packed with the module's own packer and
/// rules, a ready ZIP, manifest.json required before anything is sent, the same bytes back, and -Extension on
/// New-KernelBrowser by name, id or object.
/// </summary>
public sealed class ExtensionCmdletTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string Manifest = """{"manifest_version":3,"name":"t","version":"1.0"}""";

    private readonly PowerShellSession _shell = new();
    private readonly HttpClient _admin;
    private readonly TempFolder _folder = new();

    public ExtensionCmdletTests(EmulatorFixture emulator)
    {
        _admin = new HttpClient { BaseAddress = new Uri(emulator.BaseUri, "_emulator/") };
        _shell.ConnectInOwnProject(emulator);
    }

    public void Dispose()
    {
        _admin.Dispose();
        _shell.Dispose();
        _folder.Dispose();
    }

    private ScriptResult Run(string script, params (string Name, object? Value)[] parameters) => _shell.Run(script, parameters);

    private string Project => Run("(Get-KernelSession).ProjectId").ThrowOnError().Output.Single().ToString();

    private int Posts(string path) =>
        JsonDocument.Parse(_admin.GetStringAsync("journal").GetAwaiter().GetResult()).RootElement.EnumerateArray()
            .Count(e => e.GetProperty("method").GetString() == "POST" && e.GetProperty("path").GetString() == path
                && e.GetProperty("headers").TryGetProperty("X-Kernel-Project-Id", out var p) && p.GetString() == Project);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_folder_is_packed_with_the_modules_rules_and_the_CLIs_extension_excludes()
    {
        using var ext = new TempFolder().With("manifest.json", Manifest).With("content.js").With("ünïcode/naïve.js").With(".gitignore", "secret.txt\n")
            .With("secret.txt").With("node_modules/dep/index.js").With("src/app.test.js").With("debug.log").With(".git/HEAD").With("coverage/lcov.info").With("bin/run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(ext.Path, "bin/run.sh"), (UnixFileMode)Convert.ToInt32("755", 8));

        var published = Run("param($path) Publish-KernelExtension -LiteralPath $path -Name packed -Verbose", ("path", ext.Path)).ThrowOnError();
        using var zip = ZipFile.OpenRead(Run("param($to) Save-KernelExtension packed $to -PassThru", ("to", _folder.Path)).ThrowOnError().Single<FileInfo>().FullName);

        var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, e => (e.ExternalAttributes >> 16) & 0xFFFF);
        Assert.Equal([".gitignore", "bin/run.sh", "content.js", "manifest.json", "ünïcode/naïve.js"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0x8000 | 0x1ED, files["bin/run.sh"]);
        Assert.Equal(0x8000 | 0x1A4, files["manifest.json"]);
        Assert.Equal("packed", published.Single<KernelExtension>().Name);
        var leftOut = Assert.Single(published.Verbose, v => v.StartsWith("Left out", StringComparison.Ordinal));
        foreach (var name in new[] { "node_modules/", "src/app.test.js", "debug.log", ".git/", "coverage/", "secret.txt" })
        {
            Assert.Contains(name, leftOut);
        }
    }

    [Fact]
    public void A_folder_without_a_manifest_at_its_top_is_refused_before_anything_is_sent()
    {
        using var parent = new TempFolder().With("real-ext/manifest.json", Manifest).With("README.md");
        using var empty = new TempFolder();

        var nested = Run("param($path) Publish-KernelExtension $path", ("path", parent.Path));
        var nothing = Run("param($path) Publish-KernelExtension $path", ("path", empty.Path));

        var error = Assert.Single(nested.Errors);
        Assert.StartsWith("ManifestNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains($"Did you mean its folder '{Path.Combine(parent.Path, "real-ext")}'?", error.Exception.Message);
        Assert.StartsWith("ManifestNotFound,", Assert.Single(nothing.Errors).FullyQualifiedErrorId);
        Assert.Equal(0, Posts("/extensions"));
    }

    [Fact]
    public void A_ready_zip_goes_as_it_is_and_one_without_a_manifest_at_its_top_is_refused()
    {
        var good = Path.Combine(_folder.Path, "good.zip");
        var wrapped = Path.Combine(_folder.Path, "wrapped.zip");
        File.WriteAllBytes(good, Emulator.EmulatorClient.Zip(("manifest.json", Manifest), ("a.js", "1")));
        File.WriteAllBytes(wrapped, Emulator.EmulatorClient.Zip(("my-ext/manifest.json", Manifest)));

        var published = Run("param($path) Get-Item $path | Publish-KernelExtension -Name zipped", ("path", good)).ThrowOnError().Single<KernelExtension>();
        var refused = Run("param($path) Publish-KernelExtension $path -Name wrapped", ("path", wrapped));
        var saved = Run("param($to) Save-KernelExtension zipped $to -PassThru", ("to", Path.Combine(_folder.Path, "back.zip"))).ThrowOnError().Single<FileInfo>();

        Assert.Equal(File.ReadAllBytes(good), File.ReadAllBytes(saved.FullName));
        Assert.Equal(new FileInfo(good).Length, published.SizeBytes);
        var error = Assert.Single(refused.Errors);
        Assert.StartsWith("ManifestNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("'my-ext/'", error.Exception.Message);
        Assert.Equal(1, Posts("/extensions"));
    }

    [Fact]
    public void Exclude_leaves_out_names_at_any_depth_and_paths_from_the_folder_case_insensitively()
    {
        using var ext = new TempFolder().With("manifest.json", Manifest).With("content.js").With("content.js.map").With("lib/deep.js.MAP")
            .With("Docs/readme.md").With("src/a.ts").With("src/lib/b.ts").With("assets/x/y.psd").With("assets/x/keep.png");

        Run("param($path) Publish-KernelExtension $path -Name trimmed -Exclude '*.map', 'docs', 'src/*.ts', 'assets/**/*.psd'", ("path", ext.Path)).ThrowOnError();
        using var zip = ZipFile.OpenRead(Run("param($to) Save-KernelExtension trimmed $to -PassThru", ("to", _folder.Path)).ThrowOnError().Single<FileInfo>().FullName);

        Assert.Equal(["assets/x/keep.png", "content.js", "manifest.json", "src/lib/b.ts"], zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Exclude_with_a_ready_zip_is_ignored_with_a_warning_and_the_zip_goes_as_it_is()
    {
        var path = Path.Combine(_folder.Path, "ready.zip");
        File.WriteAllBytes(path, Emulator.EmulatorClient.Zip(("manifest.json", Manifest), ("a.js.map", "1")));

        var published = Run("param($path) Publish-KernelExtension $path -Name ready -Exclude '*.map'", ("path", path)).ThrowOnError();
        var saved = Run("param($to) Save-KernelExtension ready $to -PassThru", ("to", Path.Combine(_folder.Path, "back.zip"))).ThrowOnError().Single<FileInfo>();

        var warning = Assert.Single(published.Warnings);
        Assert.Contains("-Exclude", warning);
        Assert.Contains("as it is", warning);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(saved.FullName));
        Assert.Equal(1, Posts("/extensions"));
    }

    [Fact]
    public void WhatIf_publishes_nothing_and_lists_every_file_on_Verbose()
    {
        var result = Run("param($path) Publish-KernelExtension $path -Name never -WhatIf -Verbose", ("path", RepositoryPaths.Example("hello-extension"))).ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.StartsWith("Would upload manifest.json", StringComparison.Ordinal));
        Assert.Equal(0, Posts("/extensions"));
    }

    [Fact]
    public void Extensions_are_found_by_name_with_wildcards_saved_and_removed()
    {
        Run("param($path) Publish-KernelExtension $path -Name ad-one; Publish-KernelExtension $path -Name ad-two; Publish-KernelExtension $path", ("path", RepositoryPaths.Example("hello-extension"))).ThrowOnError();

        var ads = Run("Get-KernelExtension ad-*").ThrowOnError();
        var unknown = Run("Get-KernelExtension -Name nosuch");
        Run("Get-KernelExtension ad-* | Remove-KernelExtension -Force").ThrowOnError();

        Assert.Equal(["ad-one", "ad-two"], ads.Output.Select(o => ((KernelExtension)o.BaseObject).Name).Order());
        Assert.StartsWith("NameNotFound,", Assert.Single(unknown.Errors).FullyQualifiedErrorId);
        Assert.Single(Run("Get-KernelExtension").ThrowOnError().Output);
    }

    [Theory]
    [InlineData("cjpalhdlnbpafiamejdnhcphjbkeiagm")]
    [InlineData("https://chromewebstore.google.com/detail/ublock-origin/cjpalhdlnbpafiamejdnhcphjbkeiagm")]
    public void The_Chrome_Web_Store_download_saves_a_zip_named_after_the_extensions_id(string store)
    {
        var saved = Run("param($id, $to) Save-KernelExtension -ChromeWebStoreId $id -Destination $to -PassThru", ("id", store), ("to", _folder.Path)).ThrowOnError().Single<FileInfo>();

        Assert.Equal("cjpalhdlnbpafiamejdnhcphjbkeiagm.zip", saved.Name);
        using var zip = ZipFile.OpenRead(saved.FullName);
        Assert.NotNull(zip.GetEntry("manifest.json"));
    }

    [Fact]
    public void A_Chrome_Web_Store_id_that_is_neither_an_id_nor_a_store_page_is_refused_before_anything_is_sent()
    {
        var result = Run("param($to) Save-KernelExtension -ChromeWebStoreId https://example.com/x -Destination $to", ("to", _folder.Path));

        Assert.StartsWith("InvalidChromeWebStoreId,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task New_KernelBrowser_loads_extensions_given_by_name_id_or_object_and_refuses_an_unknown_one()
    {
        var extensions = Run("param($path) Publish-KernelExtension $path -Name by-name; Publish-KernelExtension $path; Publish-KernelExtension $path -Name by-object", ("path", RepositoryPaths.Example("hello-extension")))
            .ThrowOnError().Output.Select(o => (KernelExtension)o.BaseObject).ToList();

        var browser = Run("param($id) New-KernelBrowser -Extension by-name, $id, (Get-KernelExtension by-object) -Headless", ("id", extensions[1].Id)).ThrowOnError().Single<KernelBrowser>();
        var unknown = Run("New-KernelBrowser -Extension by-name, nosuch");

        var loaded = JsonDocument.Parse(await _admin.GetStringAsync($"browsers/{browser.Id}/extensions")).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString());
        Assert.Equal(extensions.Select(e => e.Id), loaded);
        var error = Assert.Single(unknown.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("Extension 'nosuch' was not found.", error.Exception.Message);
        Assert.Equal(1, Posts("/browsers"));
    }
}
