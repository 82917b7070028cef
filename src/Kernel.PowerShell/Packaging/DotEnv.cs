using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>An -EnvFile that cannot be used: missing, not a file, unreadable, not UTF-8, or not dotenv.</summary>
    internal sealed class DotEnvException : Exception
    {
        public DotEnvException(string path, string message, bool isSyntax, Exception? inner = null)
            : base(message, inner)
        {
            Path = path;
            IsSyntax = isSyntax;
        }

        /// <summary>The file the error is about.</summary>
        public string Path { get; }

        /// <summary>True when the file was read but is not valid dotenv; false when it could not be read.</summary>
        public bool IsSyntax { get; }
    }

    /// <summary>
    /// Reads dotenv files the way godotenv (Kernel's CLI reads --env-file with it) does:
    /// <list type="bullet">
    /// <item><c>KEY=VALUE</c> or <c>KEY: VALUE</c>, optionally after <c>export </c>; spaces around the key and the value are dropped.</item>
    /// <item>Lines starting with <c>#</c> are comments; an unquoted value ends at the first <c>#</c> that follows a space or tab.</item>
    /// <item>Single quotes are literal (a <c>\'</c> inside does not end the value, and stays as written).</item>
    /// <item>Double quotes turn <c>\n</c> and <c>\r</c> into line breaks and any other <c>\x</c> into <c>x</c> (so <c>\t</c> is <c>t</c>), and may span lines.</item>
    /// <item><c>$NAME</c> and <c>${NAME}</c> (upper-case letters, digits and <c>_</c>) in unquoted and double-quoted values are
    /// replaced by an earlier key of the same file, else the process environment, else nothing; <c>\$</c> keeps a literal <c>$</c>.</item>
    /// </list>
    /// The process environment is godotenv's current behaviour; the 1.5.1 release that Kernel's CLI pins left a
    /// name that is not in the file empty.
    /// </summary>
    internal static class DotEnv
    {
        private static readonly Regex Variable = new Regex(@"(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?", RegexOptions.CultureInvariant);
        private static readonly Regex Escape = new Regex(@"\\.", RegexOptions.CultureInvariant);
        private static readonly Regex EscapedCharacter = new Regex(@"\\([^$])", RegexOptions.CultureInvariant);

        /// <summary>Reads and parses one file; every failure is a <see cref="DotEnvException"/> naming it.</summary>
        /// <param name="environment">Looks a name up in the process environment (null when it is not set).</param>
        public static IReadOnlyList<KeyValuePair<string, string>> ReadFile(string path, Func<string, string?> environment)
        {
            if (Directory.Exists(path))
            {
                throw new DotEnvException(path, $"The env file '{path}' is a folder; -EnvFile takes dotenv files.", isSyntax: false);
            }

            if (FileStatus.Of(path) is { } status && status.Kind != EntryKind.RegularFile && status.Kind != EntryKind.SymbolicLink)
            {
                throw new DotEnvException(path, $"The env file '{path}' is a {FileStatus.Describe(status.Kind)}, not a file.", isSyntax: false);
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                var why = ex is FileNotFoundException || ex is DirectoryNotFoundException ? "it does not exist" : ex.Message;
                throw new DotEnvException(path, $"Cannot read the env file '{path}': {why}", isSyntax: false, ex);
            }

            return Parse(Decode(bytes, path), path, environment);
        }

        public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string source, Func<string, string?> environment)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            var earlier = new Dictionary<string, string>(StringComparer.Ordinal);
            var src = text.Replace("\r\n", "\n");
            var at = 0;
            while ((at = StatementStart(src, at)) >= 0)
            {
                var (key, valueAt) = KeyName(src, at, source);
                var (value, next) = Value(src, valueAt, key, earlier, environment, source);
                earlier[key] = value;
                pairs.Add(new KeyValuePair<string, string>(key, value));
                at = next;
            }

            return pairs;
        }

        private static string Decode(byte[] bytes, string path)
        {
            if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            {
                throw new DotEnvException(path, $"The env file '{path}' is UTF-16 text (what Windows PowerShell's > and Out-File write); save it as UTF-8.", isSyntax: true);
            }

            var skip = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, skip, bytes.Length - skip);
            }
            catch (DecoderFallbackException ex)
            {
                throw new DotEnvException(path, $"The env file '{path}' is not UTF-8 text: {ex.Message}", isSyntax: true, ex);
            }
        }

        /// <summary>Where the next statement starts, past blank space and comment lines; -1 at the end.</summary>
        private static int StatementStart(string src, int at)
        {
            while (true)
            {
                while (at < src.Length && char.IsWhiteSpace(src[at]))
                {
                    at++;
                }

                if (at == src.Length)
                {
                    return -1;
                }

                if (src[at] != '#')
                {
                    return at;
                }

                at = src.IndexOf('\n', at);
                if (at < 0)
                {
                    return -1;
                }
            }
        }

        private static (string Key, int ValueAt) KeyName(string src, int at, string source)
        {
            at = SkipSpaces(src, at);
            if (string.CompareOrdinal(src, at, "export", 0, 6) == 0 && at + 6 < src.Length && IsSpace(src[at + 6]))
            {
                at = SkipSpaces(src, at + 6);
            }

            for (var i = at; i < src.Length; i++)
            {
                var c = src[i];
                if (c == '=' || c == ':')
                {
                    var key = src.Substring(at, i - at).TrimEnd();
                    if (key.Length == 0)
                    {
                        throw Syntax(src, at, source, "a value without a name");
                    }

                    return (key, SkipSpaces(src, i + 1));
                }

                if (!(IsSpace(c) || c == '_' || c == '.' || c == '-' || char.IsLetter(c) || char.IsNumber(c)))
                {
                    throw Syntax(src, at, source, c == '\n' ? "a name without = and a value" : $"unexpected character '{c}' in a name");
                }
            }

            throw Syntax(src, at, source, "a name without = and a value");
        }

        private static (string Value, int Next) Value(string src, int at, string key, Dictionary<string, string> earlier, Func<string, string?> environment, string source)
        {
            if (at < src.Length && (src[at] == '"' || src[at] == '\''))
            {
                var quote = src[at];
                for (var i = at + 1; i < src.Length; i++)
                {
                    if (src[i] != quote || PrecededByOddBackslashes(src, i))
                    {
                        continue;
                    }

                    var value = src.Substring(at, i - at).TrimEnd(quote).TrimStart(quote);
                    return (quote == '"' ? Expand(Unescape(value), earlier, environment) : value, i + 1);
                }

                throw Syntax(src, at, source, $"the value of {key} has no closing {quote}", quoteName: false);
            }

            var end = src.IndexOfAny(new[] { '\n', '\r' }, at);
            if (end < 0)
            {
                end = src.Length;
            }

            var line = src.Substring(at, end - at);
            for (var i = 1; i < line.Length; i++)
            {
                if (line[i] == '#' && IsSpace(line[i - 1]))
                {
                    line = line.Substring(0, i);
                    break;
                }
            }

            return (Expand(TrimSpaces(line), earlier, environment), end);
        }

        private static bool PrecededByOddBackslashes(string src, int i)
        {
            var count = 0;
            while (i - count - 1 >= 0 && src[i - count - 1] == '\\')
            {
                count++;
            }

            return count % 2 == 1;
        }

        /// <summary>Double-quoted escapes: \n and \r become line breaks, \x becomes x, \$ stays for <see cref="Expand"/>.</summary>
        private static string Unescape(string value)
        {
            var breaks = Escape.Replace(value, m => m.Value[1] == 'n' ? "\n" : m.Value[1] == 'r' ? "\r" : m.Value);
            return EscapedCharacter.Replace(breaks, "$1");
        }

        private static string Expand(string value, Dictionary<string, string> earlier, Func<string, string?> environment) =>
            Variable.Replace(value, m =>
            {
                if (m.Groups[1].Success)
                {
                    return m.Value.Substring(1);
                }

                var name = m.Groups[4].Value;
                if (name.Length == 0)
                {
                    return m.Value;
                }

                return earlier.TryGetValue(name, out var known) ? known : environment(name) ?? string.Empty;
            });

        /// <summary>godotenv's spaces within a line: not line breaks.</summary>
        private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u00A0';

        private static int SkipSpaces(string src, int at)
        {
            while (at < src.Length && IsSpace(src[at]))
            {
                at++;
            }

            return at;
        }

        private static string TrimSpaces(string text)
        {
            var start = SkipSpaces(text, 0);
            var end = text.Length;
            while (end > start && IsSpace(text[end - 1]))
            {
                end--;
            }

            return text.Substring(start, end - start);
        }

        /// <summary>
        /// A syntax error naming the file and line. It quotes the line only up to its first = or : (the name), never
        /// a value: the file is where secrets live, and the message reaches $Error, transcripts and CI logs.
        /// </summary>
        private static DotEnvException Syntax(string src, int at, string source, string problem, bool quoteName = true)
        {
            var line = 1;
            for (var i = 0; i < at && i < src.Length; i++)
            {
                if (src[i] == '\n')
                {
                    line++;
                }
            }

            var end = src.IndexOfAny(new[] { '\n', '=', ':' }, at);
            var name = src.Substring(at, (end < 0 ? src.Length : end) - at).Trim();
            var quoted = quoteName && name.Length > 0 ? $" ('{name}')" : string.Empty;
            return new DotEnvException(source, $"{source}, line {line}: {problem}{quoted}; expected KEY=VALUE.", isSyntax: true);
        }
    }
}
