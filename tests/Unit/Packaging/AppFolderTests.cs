using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>Which files of an app folder a deploy uploads (Kernel CLI parity, kernel-cli.md §2.1).</summary>
public class AppFolderTests
{
    private static IReadOnlyList<string> Paths(TempFolder folder) =>
        AppFolder.Scan(folder.Path, CancellationToken.None).Files.Select(f => f.RelativePath).ToList();

    [Fact]
    public void Dot_files_and_dot_folders_are_kept()
    {
        using var app = new TempFolder().With("main.py").With(".env").With(".config/settings.json");

        Assert.Equal([".env", "main.py", ".config/settings.json"], Paths(app));
    }

    [Fact]
    public void Gitignore_rules_apply_from_the_root_down()
    {
        using var app = new TempFolder()
            .With(".gitignore", "node_modules/\n*.log\n")
            .With("main.ts")
            .With("debug.log")
            .With("node_modules/left-pad/index.js")
            .With("src/app.ts")
            .With("src/trace.log");

        Assert.Equal([".gitignore", "main.ts", "src/app.ts"], Paths(app));
    }

    [Fact]
    public void A_nested_ignore_file_applies_to_its_own_folder_only()
    {
        using var app = new TempFolder()
            .With("main.py")
            .With("data/.gitignore", "*.csv\n")
            .With("data/big.csv")
            .With("top.csv");

        Assert.Equal(["main.py", "top.csv", "data/.gitignore"], Paths(app));
    }

    [Fact]
    public void A_deeper_negation_brings_a_file_back()
    {
        using var app = new TempFolder()
            .With(".gitignore", "*.json\n")
            .With("main.py")
            .With("config/.gitignore", "!app.json\n")
            .With("config/app.json")
            .With("config/other.json");

        Assert.Equal([".gitignore", "main.py", "config/.gitignore", "config/app.json"], Paths(app));
    }

    [Fact]
    public void Dot_ignore_is_honoured_and_wins_over_gitignore_in_the_same_folder()
    {
        using var app = new TempFolder()
            .With(".gitignore", "secrets.txt\n")
            .With(".ignore", "!secrets.txt\nscratch/\n")
            .With("main.py")
            .With("secrets.txt")
            .With("scratch/notes.md");

        Assert.Equal([".gitignore", ".ignore", "main.py", "secrets.txt"], Paths(app));
    }

    [Fact]
    public void Submodule_folders_named_in_gitmodules_are_left_out()
    {
        using var app = new TempFolder()
            .With(".gitmodules", "[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = https://example.invalid/lib.git\n")
            .With("main.py")
            .With("vendor/lib/code.py")
            .With("vendor/own.py");

        Assert.Equal([".gitmodules", "main.py", "vendor/own.py"], Paths(app));
    }

    [Fact]
    public void Exclusions_say_which_rule_in_which_file()
    {
        using var app = new TempFolder().With(".gitignore", ".venv/\n").With("main.py").With(".venv/bin/python");

        var excluded = Assert.Single(AppFolder.Scan(app.Path, CancellationToken.None).Excluded);

        Assert.Equal(".venv/ ('.venv/' in .gitignore)", excluded.ToString());
    }

    [Fact]
    public void Symbolic_links_are_never_followed()
    {
        using var outside = new TempFolder().With("secret.txt", "do not upload");
        using var app = new TempFolder().With("main.py");
        File.CreateSymbolicLink(Path.Combine(app.Path, "link.txt"), Path.Combine(outside.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(app.Path, "outside"), outside.Path);

        var scanned = AppFolder.Scan(app.Path, CancellationToken.None);

        Assert.Equal(["main.py"], scanned.Files.Select(f => f.RelativePath));
        Assert.All(scanned.Excluded, e => Assert.Equal("symbolic link, not followed", e.Reason));
    }

    [Fact]
    public void An_empty_folder_is_refused()
    {
        using var app = new TempFolder();

        var error = Assert.Throws<PackagingException>(() => AppFolder.Scan(app.Path, CancellationToken.None));

        Assert.Equal(PackagingFailure.EmptyFolder, error.Failure);
    }

    [Fact]
    public void A_folder_whose_every_file_is_ignored_is_refused_with_the_reason()
    {
        using var app = new TempFolder().With(".gitignore", "*\n").With("main.py");

        var error = Assert.Throws<PackagingException>(() => AppFolder.Scan(app.Path, CancellationToken.None));

        Assert.Equal(PackagingFailure.EmptyFolder, error.Failure);
        Assert.Contains("left out (ignore rules", error.Message);
    }

    [Fact]
    public void A_file_given_as_the_folder_is_refused()
    {
        using var app = new TempFolder().With("main.py");

        var error = Assert.Throws<PackagingException>(() => AppFolder.Scan(Path.Combine(app.Path, "main.py"), CancellationToken.None));

        Assert.Equal(PackagingFailure.NotAFolder, error.Failure);
    }

    [Theory]
    [InlineData("main.py", "main.py")]
    [InlineData("./src/app.py", "src/app.py")]
    [InlineData("src\\app.py", "src/app.py")]
    [InlineData("src//app.py", "src/app.py")]
    public void Entrypoints_are_normalized_to_relative_slash_paths(string given, string expected) =>
        Assert.Equal(expected, AppFolder.NormalizeEntrypoint(given));

    [Theory]
    [InlineData("../app.py")]
    [InlineData("src/../../app.py")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\app\\main.py")]
    [InlineData("  ")]
    [InlineData(".")]
    public void Entrypoints_outside_the_folder_or_empty_are_refused(string given)
    {
        var error = Assert.Throws<PackagingException>(() => AppFolder.NormalizeEntrypoint(given));

        Assert.Equal(PackagingFailure.EntrypointInvalid, error.Failure);
    }

    [Fact]
    public void An_entrypoint_excluded_by_an_ignore_rule_is_refused_with_the_rule()
    {
        using var app = new TempFolder().With(".gitignore", "dist/\n").With("README.md").With("dist/index.js");

        var error = Assert.Throws<PackagingException>(() => AppFolder.Scan(app.Path, CancellationToken.None).RequireEntrypoint("dist/index.js"));

        Assert.Equal(PackagingFailure.EntrypointExcluded, error.Failure);
        Assert.Contains("'dist/' in .gitignore", error.Message);
    }

    [Fact]
    public void A_missing_entrypoint_is_refused()
    {
        using var app = new TempFolder().With("main.py");

        var error = Assert.Throws<PackagingException>(() => AppFolder.Scan(app.Path, CancellationToken.None).RequireEntrypoint("app.py"));

        Assert.Equal(PackagingFailure.EntrypointNotFound, error.Failure);
    }
}
