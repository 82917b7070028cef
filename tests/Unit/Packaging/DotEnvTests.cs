using Kernel.PowerShell.Packaging;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>dotenv files as godotenv (Kernel's CLI --env-file) reads them.</summary>
public class DotEnvTests
{
    private static Dictionary<string, string> Parse(string text) =>
        DotEnv.Parse(text, ".env").ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Plain_exported_and_spaced_assignments_are_read() =>
        Assert.Equal(
            new Dictionary<string, string> { ["A"] = "1", ["B"] = "two words", ["C"] = "3" },
            Parse("A=1\nexport B = two words\n  C=3  \n"));

    [Fact]
    public void Comments_and_blank_lines_are_skipped_and_unquoted_values_end_at_a_comment() =>
        Assert.Equal(new Dictionary<string, string> { ["URL"] = "https://x.example/#frag", ["N"] = "5" }, Parse("# comment\n\nURL=https://x.example/#frag\nN=5 # five\n"));

    [Fact]
    public void Double_quotes_unescape_and_single_quotes_are_literal()
    {
        var values = Parse("D=\"line1\\nline2 \\\"q\\\"\"\nS='raw\\n # kept'\n");

        Assert.Equal("line1\nline2 \"q\"", values["D"]);
        Assert.Equal("raw\\n # kept", values["S"]);
    }

    [Fact]
    public void A_quoted_value_may_span_lines() =>
        Assert.Equal("-----BEGIN KEY-----\nabc\n-----END KEY-----", Parse("PEM=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nNEXT=1")["PEM"]);

    [Theory]
    [InlineData("just words")]
    [InlineData("=value")]
    [InlineData("KEY=\"never closed")]
    public void Malformed_lines_name_the_file_and_fail(string text)
    {
        var error = Assert.Throws<FormatException>(() => DotEnv.Parse(text, "app.env"));

        Assert.Contains("app.env", error.Message);
    }
}
