using System.Diagnostics;
using System.Text;
using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>
/// The module's reading of .gitignore against git's own: a tree full of the hard cases, and the files each
/// side would keep, compared with <c>git ls-files --others --exclude-standard</c>.
/// </summary>
public class GitIgnoreParityTests
{
    private const string RootIgnore = """
        # a comment, then the cases
        *.log
        !important.log
        /build/
        **/temp/
        docs/**/*.pdf
        [[:digit:]]*.tmp
        [[:upper:]][[:lower:]]*.bak
        data/*
        !data/keep/
        !data/keep.csv
        logs/
        !logs/important.txt
        trailing-backslash\
        escaped-backslash\\ 
        escaped-space\ 
        plain-trailing-spaces   
        \#hash.txt
        \!bang.txt
        [!a-c]x.txt
        file[].txt
        [a-]y.txt
        [[:bogus:]].txt
        ?.one
        caf??.md
        données/*.dat
        space in*
        vendor
        !vendor/
        [[:space:]]lead.txt
        [[:punct:]]p.txt
        x[[:alpha:]-]z.txt
        """;

    private const string NestedIgnore = """
        *.gen.ts
        !keep.gen.ts
        /local-only.txt
        sub/**/deep.txt
        """;

    private static readonly string[] Files =
    [
        "main.py", "a.log", "important.log", "sub/b.log", "sub/important.log",
        "build/out.js", "build/.gitignore", "src/build/x.js",
        "temp/t.txt", "a/b/temp/t.txt", "temp.txt",
        "docs/a.pdf", "docs/x/y/b.pdf", "docs/readme.md", "other/docs/c.pdf",
        "1file.tmp", "file1.tmp", "9.tmp", "x9.tmp",
        "Readme.bak", "README.bak", "readme.bak",
        "data/x.csv", "data/keep.csv", "data/keep/y.csv", "data/other/z.csv",
        "logs/important.txt", "logs/other.txt",
        "trailing-backslash", "trailing-backslash\\",
        "escaped-backslash\\", "escaped-backslash\\ ", "escaped-backslash",
        "escaped-space ", "escaped-space", "plain-trailing-spaces",
        "#hash.txt", "!bang.txt", "hash.txt",
        "dx.txt", "ax.txt", "file[].txt", "file.txt", "-y.txt", "ay.txt", "by.txt", "b.txt",
        "e.one", "é.one", "café.md", "cafe.md",
        "données/ignored.dat", "données/kept.txt",
        "space in name.txt", "spacein.txt",
        "vendor/lib.js",
        " lead.txt", "\tlead.txt", "xlead.txt", "!p.txt", "_p.txt", "ap.txt", "xaz.txt", "x-z.txt", "x1z.txt",
        "src/a.gen.ts", "src/keep.gen.ts", "src/local-only.txt", "local-only.txt",
        "src/sub/x/y/deep.txt", "src/sub/deep.txt", "src/deep.txt",
    ];

    [Fact]
    public void The_files_kept_are_exactly_those_git_lists_as_untracked_and_not_ignored()
    {
        using var app = new TempFolder().With(".gitignore", RootIgnore.Replace("\r\n", "\n") + "\n").With("src/.gitignore", NestedIgnore + "\n");
        foreach (var file in Files)
        {
            app.With(file, file == "build/.gitignore" ? "!out.js\n" : "x");
        }

        var ours = AppFolder.Scan(app.Path, CancellationToken.None).Files.Select(f => f.RelativePath).Where(p => !p.StartsWith(".git/", StringComparison.Ordinal));
        var gits = GitUntracked(app.Path);

        Assert.Equal(gits.Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
    }

    /// <summary>What git keeps, with no user or system configuration (and so no global excludes file) in play.</summary>
    private static IReadOnlyList<string> GitUntracked(string folder)
    {
        var home = Directory.CreateTempSubdirectory("kernel-git-home-").FullName;
        try
        {
            Git(folder, home, "init", "-q");
            var listed = Git(folder, home, "ls-files", "--others", "--exclude-standard", "-z");
            return listed.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string Git(string folder, string home, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = home;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git could not be started: the parity test needs git on PATH.");
        var output = git.StandardOutput.ReadToEndAsync();
        var errors = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {errors}");
        return output.Result;
    }
}
