using System;
using System.Collections.Generic;
using System.Text;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// Reads dotenv files the way godotenv (used by Kernel's CLI for --env-file) does: KEY=VALUE lines, optional
    /// <c>export</c>, # comments, single quotes literal, double quotes with \n \t \" \\ escapes, and an unquoted
    /// value ending at " #".
    /// </summary>
    internal static class DotEnv
    {
        public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string source)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            var lines = text.Replace("\r\n", "\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                if (line.StartsWith("export ", StringComparison.Ordinal))
                {
                    line = line.Substring(7).TrimStart();
                }

                var separator = line.IndexOfAny(new[] { '=', ':' });
                if (separator <= 0)
                {
                    throw new FormatException($"{source}, line {i + 1}: expected KEY=VALUE, got '{lines[i].Trim()}'.");
                }

                var key = line.Substring(0, separator).Trim();
                var rest = line.Substring(separator + 1).TrimStart();
                string value;
                if (rest.Length > 0 && (rest[0] == '"' || rest[0] == '\''))
                {
                    var quote = rest[0];
                    var body = new StringBuilder();
                    var closed = false;
                    var current = rest.Substring(1);
                    while (true)
                    {
                        var end = FindClosingQuote(current, quote);
                        if (end >= 0)
                        {
                            body.Append(current, 0, end);
                            closed = true;
                            break;
                        }

                        // A quoted value may span lines.
                        body.Append(current).Append('\n');
                        if (++i >= lines.Length)
                        {
                            break;
                        }

                        current = lines[i];
                    }

                    if (!closed)
                    {
                        throw new FormatException($"{source}: the value of {key} has no closing {quote}.");
                    }

                    var raw = body.ToString();
                    value = quote == '"' ? Unescape(raw) : raw;
                }
                else
                {
                    var comment = rest.IndexOf(" #", StringComparison.Ordinal);
                    value = (comment >= 0 ? rest.Substring(0, comment) : rest).Trim();
                }

                pairs.Add(new KeyValuePair<string, string>(key, value));
            }

            return pairs;
        }

        private static int FindClosingQuote(string text, char quote)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\\' && quote == '"')
                {
                    i++;
                }
                else if (text[i] == quote)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string Unescape(string raw)
        {
            var text = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '\\' || i + 1 == raw.Length)
                {
                    text.Append(raw[i]);
                    continue;
                }

                var next = raw[++i];
                text.Append(next switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => next,
                });
            }

            return text.ToString();
        }
    }
}
