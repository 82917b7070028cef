using System;
using System.Text;
using System.Text.RegularExpressions;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>One line of a .gitignore or .ignore file, compiled to a regular expression (gitignore(5) syntax).</summary>
    internal sealed class IgnorePattern
    {
        private readonly Regex _regex;

        private IgnorePattern(string text, string source, bool negated, bool directoryOnly, Regex regex)
        {
            Text = text;
            Source = source;
            Negated = negated;
            DirectoryOnly = directoryOnly;
            _regex = regex;
        }

        /// <summary>The line as written, for messages.</summary>
        public string Text { get; }

        /// <summary>Where the line came from, e.g. <c>src/.gitignore</c>.</summary>
        public string Source { get; }

        public bool Negated { get; }

        public bool DirectoryOnly { get; }

        /// <summary>Parses one line; null for blank lines and comments.</summary>
        public static IgnorePattern? Parse(string line, string source)
        {
            var text = TrimTrailingSpaces(line.TrimEnd('\r'));
            if (text.Length == 0 || text[0] == '#')
            {
                return null;
            }

            var pattern = text;
            var negated = false;
            if (pattern[0] == '!')
            {
                negated = true;
                pattern = pattern.Substring(1);
            }
            else if (pattern.StartsWith("\\!", StringComparison.Ordinal) || pattern.StartsWith("\\#", StringComparison.Ordinal))
            {
                pattern = pattern.Substring(1);
            }

            var directoryOnly = pattern.EndsWith("/", StringComparison.Ordinal);
            if (directoryOnly)
            {
                pattern = pattern.TrimEnd('/');
            }

            if (pattern.Length == 0)
            {
                return null;
            }

            // A slash at the start or in the middle anchors the pattern to the ignore file's folder.
            var anchored = pattern.IndexOf('/') >= 0;
            if (pattern[0] == '/')
            {
                pattern = pattern.Substring(1);
            }

            var regex = new StringBuilder("^");
            if (!anchored)
            {
                regex.Append("(?:.*/)?");
            }

            AppendBody(regex, pattern);
            regex.Append('$');
            return new IgnorePattern(text, source, negated, directoryOnly, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline));
        }

        /// <summary>Whether the pattern matches a path relative to the ignore file's folder ('/'-separated).</summary>
        public bool IsMatch(string relativePath, bool isDirectory) =>
            (!DirectoryOnly || isDirectory) && _regex.IsMatch(relativePath);

        private static void AppendBody(StringBuilder regex, string pattern)
        {
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                switch (c)
                {
                    case '*':
                        var atSegmentStart = i == 0 || pattern[i - 1] == '/';
                        if (i + 1 < pattern.Length && pattern[i + 1] == '*' && atSegmentStart)
                        {
                            var next = i + 2;
                            if (next == pattern.Length)
                            {
                                regex.Append(".*");
                                i = next - 1;
                                break;
                            }

                            if (pattern[next] == '/')
                            {
                                regex.Append("(?:.*/)?");
                                i = next;
                                break;
                            }
                        }

                        while (i + 1 < pattern.Length && pattern[i + 1] == '*')
                        {
                            i++;
                        }

                        regex.Append("[^/]*");
                        break;
                    case '?':
                        regex.Append("[^/]");
                        break;
                    case '[':
                        i = AppendCharacterClass(regex, pattern, i);
                        break;
                    case '\\':
                        if (i + 1 < pattern.Length)
                        {
                            i++;
                            regex.Append(Regex.Escape(pattern[i].ToString()));
                        }

                        break;
                    default:
                        regex.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }
        }

        /// <summary>Copies a [...] class; an unclosed '[' is a literal, as in git.</summary>
        private static int AppendCharacterClass(StringBuilder regex, string pattern, int open)
        {
            var i = open + 1;
            var negate = i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^');
            if (negate)
            {
                i++;
            }

            var body = new StringBuilder();
            var first = true;
            for (; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == ']' && !first)
                {
                    regex.Append(negate ? "[^/" : "[").Append(body).Append(']');
                    return i;
                }

                if (c == '\\' && i + 1 < pattern.Length)
                {
                    i++;
                    c = pattern[i];
                }

                body.Append(c == '\\' || c == ']' || c == '[' || c == '^' ? "\\" + c : c.ToString());
                first = false;
            }

            regex.Append(Regex.Escape("["));
            return open;
        }

        private static string TrimTrailingSpaces(string line)
        {
            var end = line.Length;
            while (end > 0 && line[end - 1] == ' ' && !(end > 1 && line[end - 2] == '\\'))
            {
                end--;
            }

            var trimmed = line.Substring(0, end);
            return trimmed.EndsWith("\\ ", StringComparison.Ordinal) ? trimmed.Substring(0, trimmed.Length - 2) + " " : trimmed;
        }
    }
}
