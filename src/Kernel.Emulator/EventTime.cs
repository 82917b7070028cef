using System.Globalization;
using System.Text.RegularExpressions;

namespace Kernel.Emulator;

/// <summary>Reads the <c>since</c> query of event streams: an RFC 3339 time or a Go-style duration ago ("5m", "1h30m").</summary>
public static partial class EventTime
{
    public static bool TryParseSince(string? text, DateTime nowUtc, out DateTime? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Contains('-'))
        {
            since = at.UtcDateTime;
            return true;
        }

        var parts = DurationPart().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            return false;
        }

        var ticks = 0.0;
        foreach (Match part in parts)
        {
            var amount = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
            ticks += amount * part.Groups["u"].Value switch
            {
                "ns" => TimeSpan.TicksPerMillisecond / 1_000_000.0,
                "us" or "µs" => TimeSpan.TicksPerMillisecond / 1_000.0,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        since = nowUtc - TimeSpan.FromTicks((long)ticks);
        return true;
    }

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<u>ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
