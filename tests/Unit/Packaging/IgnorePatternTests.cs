using Kernel.PowerShell.Packaging;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>gitignore(5) pattern semantics, one rule at a time.</summary>
public class IgnorePatternTests
{
    [Theory]
    [InlineData("node_modules", "node_modules", true, true)]
    [InlineData("node_modules", "web/node_modules", true, true)]
    [InlineData("node_modules/", "node_modules", false, false)]
    [InlineData("node_modules/", "node_modules", true, true)]
    [InlineData("*.log", "debug.log", false, true)]
    [InlineData("*.log", "logs/deep/debug.log", false, true)]
    [InlineData("*.log", "debug.log.txt", false, false)]
    [InlineData("/build", "build", true, true)]
    [InlineData("/build", "src/build", true, false)]
    [InlineData("doc/*.txt", "doc/notes.txt", false, true)]
    [InlineData("doc/*.txt", "doc/server/arch.txt", false, false)]
    [InlineData("doc/*.txt", "other/doc/notes.txt", false, false)]
    [InlineData("**/foo", "foo", false, true)]
    [InlineData("**/foo", "a/b/foo", false, true)]
    [InlineData("a/**/b", "a/b", false, true)]
    [InlineData("a/**/b", "a/x/y/b", false, true)]
    [InlineData("abc/**", "abc/x/y", false, true)]
    [InlineData("abc/**", "abc", true, false)]
    [InlineData("file?.txt", "file1.txt", false, true)]
    [InlineData("file?.txt", "file10.txt", false, false)]
    [InlineData("[Dd]ebug", "Debug", true, true)]
    [InlineData("[!D]ebug", "Debug", true, false)]
    [InlineData("\\#notes", "#notes", false, true)]
    [InlineData("trailing   ", "trailing", false, true)]
    [InlineData("[[:digit:]]*.tmp", "1file.tmp", false, true)]
    [InlineData("[[:digit:]]*.tmp", "file1.tmp", false, false)]
    [InlineData("[[:upper:]][[:lower:]]*", "Readme", false, true)]
    [InlineData("[[:upper:]][[:lower:]]*", "README", false, false)]
    [InlineData("[[:bogus:]]x", "bx", false, false)]
    [InlineData("file[", "file[", false, false)]
    [InlineData("ends-in\\", "ends-in\\", false, false)]
    [InlineData("ends-in\\", "ends-in", false, false)]
    [InlineData("backslash\\\\ ", "backslash\\", false, true)]
    [InlineData("backslash\\\\ ", "backslash\\ ", false, false)]
    [InlineData("space\\ ", "space ", false, true)]
    [InlineData("?.txt", "é.txt", false, false)]
    [InlineData("??.txt", "é.txt", false, true)]
    [InlineData("a/*/b", "a/x/y/b", false, false)]
    [InlineData("a/**b", "a/x/b", false, false)]
    public void Matches_paths_as_git_does(string line, string path, bool isDirectory, bool expected)
    {
        var pattern = IgnorePattern.Parse(line, ".gitignore");

        Assert.NotNull(pattern);
        Assert.Equal(expected, pattern!.IsMatch(path, isDirectory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("# a comment")]
    public void Blank_lines_and_comments_are_not_patterns(string line) =>
        Assert.Null(IgnorePattern.Parse(line, ".gitignore"));

    [Fact]
    public void An_exclamation_mark_negates_the_pattern()
    {
        var pattern = IgnorePattern.Parse("!keep.log", ".gitignore")!;

        Assert.True(pattern.Negated);
        Assert.True(pattern.IsMatch("keep.log", false));
    }
}
