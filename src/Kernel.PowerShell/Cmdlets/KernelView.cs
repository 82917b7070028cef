using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Kernel.PowerShell
{
    /// <summary>
    /// How the module's views (Kernel.Format.ps1xml) write values, in one place: every time of a record in one
    /// unambiguous format (local time, yyyy-MM-dd HH:mm, whatever the culture), a log line's or request's to the
    /// millisecond, name/value maps as NAME=value lists, and the last cell of a table, which describes the object.
    /// </summary>
    public static class KernelView
    {
        public const string TimeFormat = "yyyy-MM-dd HH:mm";
        public const string PreciseTimeFormat = "yyyy-MM-dd HH:mm:ss.fff";

        /// <summary>A record's time (created, started, saved…), local: 2026-12-01 14:56; null for none.</summary>
        public static string? Time(DateTimeOffset? time) =>
            time?.ToLocalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);

        /// <summary>A log line's or a request's time, local, to the millisecond: 2026-12-01 14:56:18.272.</summary>
        public static string? PreciseTime(DateTimeOffset? time) =>
            time?.ToLocalTime().ToString(PreciseTimeFormat, CultureInfo.InvariantCulture);

        /// <summary>
        /// A name/value map (env vars, tags) as NAME=value, sorted by name: <c>API_TOKEN=, DB_PASSWORD=</c> for env
        /// vars, whose values the API redacts to "".
        /// </summary>
        public static string Pairs(IEnumerable<KeyValuePair<string, string>>? pairs, string separator = ", ") =>
            pairs == null ? string.Empty : string.Join(separator, pairs.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + "=" + pair.Value));

        /// <summary>
        /// A table's last cell, which says in words what the row is: <paramref name="line"/> when it fits in
        /// <paramref name="width"/> (what the column has in an 80-column terminal, whose console host
        /// formats to 79 columns), else <paramref name="parts"/> one a
        /// line, so that a line breaks between parts rather than in the middle of a word (a part longer than the
        /// column still wraps where it must). Empty parts are left out.
        /// </summary>
        public static string Cell(int width, string line, string?[] parts) =>
            line.Length <= width ? line : string.Join(Environment.NewLine, parts.Where(part => !string.IsNullOrEmpty(part)));

        /// <summary><see cref="Cell(int, string, string[])"/> whose one line is the parts joined with ", ".</summary>
        public static string Cell(int width, string?[] parts) =>
            Cell(width, string.Join(", ", parts.Where(part => !string.IsNullOrEmpty(part))), parts);
    }
}
