using System;
using System.Text;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// One line of a .gitignore or .ignore file, matched exactly as git matches it (gitignore(5), git's
    /// wildmatch): on the UTF-8 bytes of the path, with <c>?</c>, <c>*</c>, <c>**</c>, bracket expressions with
    /// ranges, <c>!</c>/<c>^</c> negation and POSIX classes (<c>[[:digit:]]</c>), and <c>\</c> escapes. A pattern
    /// that git finds malformed (an unclosed bracket, an unknown class, a trailing lone backslash) matches nothing,
    /// as in git.
    /// </summary>
    internal sealed class IgnorePattern
    {
        private const int Matched = 0;
        private const int NotMatched = 1;
        private const int AbortAll = -1;
        private const int AbortToDoubleStar = -2;

        private readonly byte[] _pattern;
        private readonly bool _nameOnly;

        private IgnorePattern(string text, string source, bool negated, bool directoryOnly, bool nameOnly, byte[] pattern)
        {
            Text = text;
            Source = source;
            Negated = negated;
            DirectoryOnly = directoryOnly;
            _nameOnly = nameOnly;
            _pattern = pattern;
        }

        /// <summary>The line as written, for messages.</summary>
        public string Text { get; }

        /// <summary>Where the line came from, e.g. <c>src/.gitignore</c>.</summary>
        public string Source { get; }

        public bool Negated { get; }

        public bool DirectoryOnly { get; }

        /// <summary>Parses one line (without its line feed); null for blank lines, comments and patterns that match nothing.</summary>
        public static IgnorePattern? Parse(string line, string source)
        {
            if (line.EndsWith("\r", StringComparison.Ordinal))
            {
                line = line.Substring(0, line.Length - 1);
            }

            if (line.Length == 0 || line[0] == '#')
            {
                return null;
            }

            var text = TrimTrailingSpaces(line);
            var pattern = text;
            var negated = pattern.Length > 0 && pattern[0] == '!';
            if (negated)
            {
                pattern = pattern.Substring(1);
            }

            // One trailing slash means "folders only"; the rest of the pattern is matched as written.
            var directoryOnly = pattern.EndsWith("/", StringComparison.Ordinal);
            if (directoryOnly)
            {
                pattern = pattern.Substring(0, pattern.Length - 1);
            }

            // Without a slash the pattern matches a name at any depth; with one (leading or inner), the path
            // relative to the ignore file's folder.
            var nameOnly = pattern.IndexOf('/') < 0;
            if (!nameOnly && pattern[0] == '/')
            {
                pattern = pattern.Substring(1);
            }

            return pattern.Length == 0 ? null : new IgnorePattern(text, source, negated, directoryOnly, nameOnly, Encoding.UTF8.GetBytes(pattern));
        }

        /// <summary>Whether the pattern matches a path relative to the ignore file's folder ('/'-separated).</summary>
        public bool IsMatch(string relativePath, bool isDirectory)
        {
            if (DirectoryOnly && !isDirectory)
            {
                return false;
            }

            var subject = _nameOnly ? relativePath.Substring(relativePath.LastIndexOf('/') + 1) : relativePath;
            return Match(0, Encoding.UTF8.GetBytes(subject), 0, pathname: !_nameOnly) == Matched;
        }

        /// <summary>
        /// git's trailing-space rule: spaces at the end are dropped unless a backslash escapes the first of them
        /// (then the escaped space and what precedes it stay); a backslash escapes whatever follows it, so
        /// <c>\\ </c> keeps the escaped backslash and drops the space.
        /// </summary>
        private static string TrimTrailingSpaces(string line)
        {
            var lastSpace = -1;
            for (var i = 0; i < line.Length; i++)
            {
                switch (line[i])
                {
                    case ' ':
                        if (lastSpace < 0)
                        {
                            lastSpace = i;
                        }

                        break;
                    case '\\':
                        if (++i == line.Length)
                        {
                            return line;
                        }

                        lastSpace = -1;
                        break;
                    default:
                        lastSpace = -1;
                        break;
                }
            }

            return lastSpace < 0 ? line : line.Substring(0, lastSpace);
        }

        private byte At(int index) => index < _pattern.Length ? _pattern[index] : (byte)0;

        private static byte At(byte[] text, int index) => index < text.Length ? text[index] : (byte)0;

        /// <summary>
        /// Matches the pattern from <paramref name="p"/> against the text from <paramref name="t"/>. With
        /// <paramref name="pathname"/>, <c>*</c>, <c>?</c> and brackets never match '/', and only <c>**</c> between
        /// slashes crosses folders. The two abort results cut the search short where no later start can match.
        /// </summary>
        private int Match(int p, byte[] text, int t, bool pathname)
        {
            for (; p < _pattern.Length; p++, t++)
            {
                var pc = _pattern[p];
                var tc = At(text, t);
                if (t == text.Length && pc != '*')
                {
                    return AbortAll;
                }

                switch (pc)
                {
                    case (byte)'\\':
                        // A lone trailing backslash compares with "end of pattern", which no path byte equals.
                        if (At(++p) != tc)
                        {
                            return NotMatched;
                        }

                        continue;
                    case (byte)'?':
                        if (pathname && tc == '/')
                        {
                            return NotMatched;
                        }

                        continue;
                    case (byte)'*':
                        var result = MatchStar(ref p, text, ref t, pathname);
                        if (result.HasValue)
                        {
                            return result.Value;
                        }

                        continue;
                    case (byte)'[':
                        var bracket = MatchBracket(ref p, tc);
                        if (bracket == AbortAll)
                        {
                            return AbortAll;
                        }

                        if (bracket == NotMatched || (pathname && tc == '/'))
                        {
                            return NotMatched;
                        }

                        continue;
                    default:
                        if (tc != pc)
                        {
                            return NotMatched;
                        }

                        continue;
                }
            }

            return t < text.Length ? NotMatched : Matched;
        }

        /// <summary>A run of stars at <paramref name="p"/>: a result, or null when the caller goes on (the star matched up to a slash).</summary>
        private int? MatchStar(ref int p, byte[] text, ref int t, bool pathname)
        {
            bool crossesSlashes;
            if (At(++p) == '*')
            {
                var before = p - 2;
                while (At(++p) == '*')
                {
                }

                if (!pathname)
                {
                    crossesSlashes = true;
                }
                else if ((before < 0 || _pattern[before] == '/') && (At(p) == 0 || At(p) == '/' || (At(p) == '\\' && At(p + 1) == '/')))
                {
                    // "**/" may match no folder at all: try the rest of the pattern right here first.
                    if (At(p) == '/' && Match(p + 1, text, t, pathname) == Matched)
                    {
                        return Matched;
                    }

                    crossesSlashes = true;
                }
                else
                {
                    crossesSlashes = false;
                }
            }
            else
            {
                crossesSlashes = !pathname;
            }

            if (p == _pattern.Length)
            {
                // A trailing "**" matches everything; a trailing "*" only what has no more slashes.
                return !crossesSlashes && Array.IndexOf(text, (byte)'/', t) >= 0 ? NotMatched : Matched;
            }

            if (!crossesSlashes && _pattern[p] == '/')
            {
                // One star before a slash matches the rest of one folder name.
                var slash = Array.IndexOf(text, (byte)'/', t);
                if (slash < 0)
                {
                    return NotMatched;
                }

                t = slash;
                return null;
            }

            var tc = At(text, t);
            while (tc != 0)
            {
                // Skip ahead to where the literal after the star occurs.
                var next = _pattern[p];
                if (!(next == '*' || next == '?' || next == '[' || next == '\\'))
                {
                    while ((tc = At(text, t)) != 0 && (crossesSlashes || tc != '/') && tc != next)
                    {
                        t++;
                    }

                    if (tc != next)
                    {
                        return NotMatched;
                    }
                }

                var rest = Match(p, text, t, pathname);
                if (rest != NotMatched)
                {
                    if (!crossesSlashes || rest != AbortToDoubleStar)
                    {
                        return rest;
                    }
                }
                else if (!crossesSlashes && tc == '/')
                {
                    return AbortToDoubleStar;
                }

                tc = At(text, ++t);
            }

            return AbortAll;
        }

        /// <summary>A bracket expression at <paramref name="p"/> against one byte; leaves <paramref name="p"/> on its closing ']'.</summary>
        private int MatchBracket(ref int p, byte tc)
        {
            var pc = At(++p);
            if (pc == '^')
            {
                pc = (byte)'!';
            }

            var negated = pc == '!';
            if (negated)
            {
                pc = At(++p);
            }

            byte previous = 0;
            var matched = false;
            do
            {
                if (pc == 0)
                {
                    return AbortAll;
                }

                if (pc == '\\')
                {
                    pc = At(++p);
                    if (pc == 0)
                    {
                        return AbortAll;
                    }

                    matched |= tc == pc;
                }
                else if (pc == '-' && previous != 0 && At(p + 1) != 0 && At(p + 1) != ']')
                {
                    pc = At(++p);
                    if (pc == '\\')
                    {
                        pc = At(++p);
                        if (pc == 0)
                        {
                            return AbortAll;
                        }
                    }

                    matched |= tc <= pc && tc >= previous;
                    pc = 0; // a range cannot start another range
                }
                else if (pc == '[' && At(p + 1) == ':')
                {
                    var start = p + 2;
                    var end = start;
                    while (At(end) != 0 && At(end) != ']')
                    {
                        end++;
                    }

                    if (At(end) == 0)
                    {
                        return AbortAll;
                    }

                    if (end - start - 1 < 0 || _pattern[end - 1] != ':')
                    {
                        // No ":]": the '[' is an ordinary member.
                        matched |= tc == '[';
                        continue;
                    }

                    var name = Encoding.ASCII.GetString(_pattern, start, end - start - 1);
                    if (!InClass(name, tc, out var inClass))
                    {
                        return AbortAll;
                    }

                    matched |= inClass;
                    p = end;
                    pc = 0;
                }
                else
                {
                    matched |= tc == pc;
                }
            }
            while (SetPrevious(ref previous, pc) && (pc = At(++p)) != ']');

            return matched == negated ? NotMatched : Matched;
        }

        private static bool SetPrevious(ref byte previous, byte pc)
        {
            previous = pc;
            return true;
        }

        /// <summary>The POSIX classes git knows, for ASCII only (as git's own character tests); false for an unknown name.</summary>
        private static bool InClass(string name, byte c, out bool inClass)
        {
            var digit = c >= '0' && c <= '9';
            var upper = c >= 'A' && c <= 'Z';
            var lower = c >= 'a' && c <= 'z';
            var graph = c >= 33 && c <= 126;
            switch (name)
            {
                case "alnum": inClass = digit || upper || lower; return true;
                case "alpha": inClass = upper || lower; return true;
                case "blank": inClass = c == ' ' || c == '\t'; return true;
                case "cntrl": inClass = c < 32 || c == 127; return true;
                case "digit": inClass = digit; return true;
                case "graph": inClass = graph; return true;
                case "lower": inClass = lower; return true;
                case "print": inClass = graph || c == ' '; return true;
                case "punct": inClass = graph && !(digit || upper || lower); return true;
                case "space": inClass = c == ' ' || (c >= '\t' && c <= '\r'); return true;
                case "upper": inClass = upper; return true;
                case "xdigit": inClass = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); return true;
                default: inClass = false; return false;
            }
        }
    }
}
