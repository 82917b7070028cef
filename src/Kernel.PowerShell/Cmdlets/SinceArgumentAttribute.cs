using System;
using System.Globalization;
using System.Management.Automation;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Turns a -Since value into what the API's <c>since</c> takes: a DateTime or DateTimeOffset becomes
    /// RFC 3339 UTC, a TimeSpan a duration in seconds ("300s"), and text must already be one or the other
    /// ("5m", "1h30m", "2026-11-28T10:00:00Z").
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class SinceArgumentAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case DateTime time:
                    return Rfc3339(new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Local) : time));
                case DateTimeOffset time:
                    return Rfc3339(time);
                case TimeSpan span when span > TimeSpan.Zero:
                    return ((long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
                case string text when TimeSpanArgumentAttribute.IsDuration(text):
                    return text.Trim();
                case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time):
                    return Rfc3339(time);
                default:
                    throw new ArgumentTransformationMetadataException($"-Since takes a DateTime, a positive TimeSpan, a duration such as 5m or 1h30m, or a time such as 2026-11-28T10:00:00Z; not '{value}'.");
            }
        }

        private static string Rfc3339(DateTimeOffset time) =>
            time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }
}
