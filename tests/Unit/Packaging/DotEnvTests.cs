using Kernel.PowerShell.Packaging;
using Kernel.PowerShell.Tests.Support;

namespace Kernel.PowerShell.Tests.Packaging;

/// <summary>
/// dotenv files as godotenv reads them (Kernel's CLI reads --env-file with it). Every row names the godotenv
/// test (godotenv_test.go) or fixture it comes from; the process environment holds GLOBAL_OPTION=global only.
/// </summary>
public class DotEnvTests
{
    private static readonly Dictionary<string, string> ProcessEnvironment = new() { ["GLOBAL_OPTION"] = "global" };

    private static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>();
        foreach (var pair in DotEnv.Parse(text, ".env", name => ProcessEnvironment.GetValueOrDefault(name)))
        {
            values[pair.Key] = pair.Value;
        }

        return values;
    }

    public static TheoryData<string, string, string, string> Rows => new()
    {
        // input, key, expected value, where godotenv says so
        { "FOO=bar", "FOO", "bar", "TestParsing: unquoted values" },
        { "FOO =bar", "FOO", "bar", "TestParsing: spaces around the equal sign" },
        { "FOO= bar", "FOO", "bar", "TestParsing: spaces around the equal sign" },
        { " KEY =value", "KEY", "value", "TestParsing: whitespace around keys" },
        { "\tKEY=value", "KEY", "value", "TestParsing: whitespace around keys" },
        { "FOO=\"bar\"", "FOO", "bar", "TestParsing: double-quoted values" },
        { "FOO='bar'", "FOO", "bar", "TestParsing: single-quoted values" },
        { "FOO=\"escaped\\\"bar\"", "FOO", "escaped\"bar", "TestParsing: escaped double quotes" },
        { "FOO=\"bar\\\\\"", "FOO", "bar\\", "TestParsing: an escaped backslash before the closing quote" },
        { "FOO=\"'d'\"", "FOO", "'d'", "TestParsing: single quotes inside double quotes" },
        { "OPTION_A: 1", "OPTION_A", "1", "TestParsing: yaml-style" },
        { "OPTION_A: Foo=bar", "OPTION_A", "Foo=bar", "TestParsing: yaml-style with = in the value" },
        { "OPTION_A=1:B", "OPTION_A", "1:B", "TestParsing: : in the value" },
        { "export OPTION_A=2", "OPTION_A", "2", "TestParsing: export" },
        { "export OPTION_B='\\n'", "OPTION_B", "\\n", "TestParsing: export with a single-quoted escape" },
        { "export\tOPTION_A=2", "OPTION_A", "2", "TestParsing: export and a tab" },
        { "exportFOO=2", "exportFOO", "2", "TestParsing: export without a space is part of the name" },
        { "FOO=\"bar\\nbaz\"", "FOO", "bar\nbaz", "TestParsing: \\n in double quotes" },
        { "FOO=foobar=", "FOO", "foobar=", "TestParsing: several = in the value" },
        { "FOO=bar ", "FOO", "bar", "TestParsing: trailing whitespace" },
        { "KEY=value value", "KEY", "value value", "TestParsing: inner whitespace" },
        { "FOO=bar # this is foo", "FOO", "bar", "TestParsing: an inline comment" },
        { "FOO=\"bar#baz\" # comment", "FOO", "bar#baz", "TestParsing: # inside double quotes" },
        { "FOO='bar#baz' # comment", "FOO", "bar#baz", "TestParsing: # inside single quotes" },
        { "FOO=\"bar\\n\\ b\\az\"", "FOO", "bar\n baz", "TestParsing: other escapes drop the backslash" },
        { "FOO=\"bar\\\\\\n\\ b\\az\"", "FOO", "bar\\\n baz", "TestParsing: an escaped backslash then \\n" },
        { "FOO=\"bar\\\\r\\ b\\az\"", "FOO", "bar\\r baz", "TestParsing: an escaped backslash then r" },
        { "A=a \t \t\n", "A", "a", "TestWhitespace: trailing whitespace" },
        { " \t\t export    A=a\n", "A", "a", "TestWhitespace: leading whitespace before export" },
        { "# one\n# two\n# three\nFOO=bar", "FOO", "bar", "TestLinesToIgnore: consecutive comments" },
        { "KEY: value value\n", "KEY", "value value", "TestTrailingNewlines: yaml style" },
        { "qux=thud # fred # other", "qux", "thud", "TestComments (comments.env): the first ' #' ends the value" },
        { "thud=fred#qux # other", "thud", "fred#qux", "TestComments: # without a space before it is data" },
        { "baz=\"foo\"#bar", "baz", "foo", "TestComments: text after the closing quote" },
        { "OPTION_D='\\n'", "OPTION_D", "\\n", "TestLoadQuotedEnv (quoted.env): single quotes are literal" },
        { "OPTION_H=\"\\n\"", "OPTION_H", "\n", "TestLoadQuotedEnv: \\n in double quotes" },
        { "OPTION_K='line one\nthis is \\'quoted\\'\none more line'", "OPTION_K", "line one\nthis is \\'quoted\\'\none more line", "TestLoadQuotedEnv: \\' does not end a single-quoted value and stays" },
        { "OPTION_M=\"line one\nthis is \\\"quoted\\\"\none more line\"", "OPTION_M", "line one\nthis is \"quoted\"\none more line", "TestLoadQuotedEnv: a double-quoted value spans lines" },
        { "TAB=\"a\\tb\"", "TAB", "atb", "expandEscapes: only \\n and \\r are special; \\t is t" },
        { "FOO=test\nBAR=$FOO", "BAR", "test", "TestExpanding: expands variables found in values" },
        { "FOO=test\nBAR=${FOO}bar", "BAR", "testbar", "TestExpanding: variables wrapped in brackets" },
        { "BAR=$FOO", "BAR", "", "TestExpanding: undefined variables expand to an empty string" },
        { "FOO=test\nBAR=\"quote $FOO\"", "BAR", "quote test", "TestExpanding: in double-quoted strings" },
        { "BAR='quote $FOO'", "BAR", "quote $FOO", "TestExpanding: not in single-quoted strings" },
        { "FOO=\"foo\\$BAR\"", "FOO", "foo$BAR", "TestExpanding: escaped variables" },
        { "FOO=\"foo\\${BAR}\"", "FOO", "foo${BAR}", "TestExpanding: escaped variables in brackets" },
        { "FOO=test\nBAR=\"foo\\${FOO} ${FOO}\"", "BAR", "foo${FOO} test", "TestExpanding: escaped and expanded side by side" },
        { "OPTION_A=1\nOPTION_D=${OPTION_A}${OPTION_A}", "OPTION_D", "11", "TestSubstitutions (substitutions.env)" },
        { "OPTION_E=${OPTION_NOT_DEFINED}", "OPTION_E", "", "TestSubstitutions: undefined" },
        { "OPTION_F=${GLOBAL_OPTION}", "OPTION_F", "global", "TestSubstitutions: from the process environment" },
        { "GLOBAL_OPTION=file\nOPTION_F=${GLOBAL_OPTION}", "OPTION_F", "file", "expandVariables: an earlier key wins over the environment" },
        { "lower=$home", "lower", "$home", "expandVarRegex: only [A-Z0-9_] names expand" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Reads_values_as_godotenv_does(string input, string key, string expected, string source) =>
        Assert.True(Parse(input).TryGetValue(key, out var value) && value == expected, $"{source}: {input} gave {key}='{(Parse(input).GetValueOrDefault(key) ?? "(missing)")}', expected '{expected}'");

    [Theory]
    [InlineData("FOO=\"bar", "has no closing \"")]              // TestParserErrors: UnterminatedQuote
    [InlineData("FOO=\"s3cret-value\nBAR=1", "has no closing \"")]
    [InlineData("lol$wut", "unexpected character '$'")]         // TestParsing: badly formatted line
    [InlineData("just words", "without = and a value")]
    [InlineData("=value", "a value without a name")]
    public void Malformed_files_fail_naming_the_file_and_line(string text, string problem)
    {
        var error = Assert.Throws<DotEnvException>(() => DotEnv.Parse("A=1\n" + text, "app.env", _ => null));

        Assert.True(error.IsSyntax);
        Assert.Contains("app.env, line 2", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("DB_PASSWORD=\"s3cret-value")]
    [InlineData("DB_PASSWORD='s3cret-value")]
    [InlineData("DB PASS$WORD=s3cret-value")]
    [InlineData("DB_PASSWORD=\"s3cret-value\nNEXT=1")]
    public void A_syntax_error_never_quotes_a_value(string text)
    {
        var error = Assert.Throws<DotEnvException>(() => DotEnv.Parse(text, "app.env", _ => null));

        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void A_folder_is_refused_naming_it()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<DotEnvException>(() => DotEnv.ReadFile(folder.Path, _ => null));

        Assert.Equal(folder.Path, error.Path);
        Assert.Contains("is a folder", error.Message);
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        var utf16 = Path.Combine(folder.Path, "utf16.env");
        File.WriteAllText(utf16, "A=1\n", System.Text.Encoding.Unicode);
        var latin1 = Path.Combine(folder.Path, "latin1.env");
        File.WriteAllBytes(latin1, [(byte)'A', (byte)'=', 0xE9, (byte)'\n']);

        Assert.Contains("UTF-16", Assert.Throws<DotEnvException>(() => DotEnv.ReadFile(utf16, _ => null)).Message);
        Assert.Contains("latin1.env' is not UTF-8", Assert.Throws<DotEnvException>(() => DotEnv.ReadFile(latin1, _ => null)).Message);
    }

    [Fact]
    public void A_named_pipe_is_refused_without_opening_it()
    {
        using var folder = new TempFolder();
        var pipe = Path.Combine(folder.Path, "pipe.env");
        SpecialFiles.MakeFifo(pipe);

        var error = Assert.Throws<DotEnvException>(() => DotEnv.ReadFile(pipe, _ => null));

        Assert.Contains("named pipe", error.Message);
    }
}
