using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// The module's one duration syntax, for every time span parameter (-Timeout, -QuietPeriod, -RequestTimeout,
    /// …) and for -Since: a TimeSpan, a number of seconds (<c>90</c>; without this PowerShell would read it as
    /// ticks), or text: a duration such as <c>90s</c>, <c>5m</c>, <c>1h30m</c> or <c>1.5h</c> (the form the API's
    /// <c>since</c> takes), or a TimeSpan such as <c>00:01:30</c>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class TimeSpanArgumentAttribute : ArgumentTransformationAttribute
    {
        internal const string Forms = "a TimeSpan, a number of seconds, or text such as 90s, 5m, 1h30m or 00:01:30";
        private static readonly Regex DurationText = new Regex(@"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant);
        private static readonly Regex DurationPart = new Regex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant);

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case IConvertible number when IsNumber(number):
                    // Any number is seconds: PowerShell reads 90s, typed bare, as the short 90 (its suffix s).
                    return TimeSpan.FromSeconds(number.ToDouble(CultureInfo.InvariantCulture));
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                    return TimeSpan.FromSeconds(seconds);
                case string text when TryParseDuration(text, out var duration):
                    return duration;
                case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span):
                    return span;
                case string text:
                    throw new ArgumentTransformationMetadataException($"'{text}' is not a duration: give {Forms}.");
                default:
                    return inputData;
            }
        }

        private static bool IsNumber(IConvertible value)
        {
            switch (value.GetTypeCode())
            {
                case TypeCode.SByte:
                case TypeCode.Byte:
                case TypeCode.Int16:
                case TypeCode.UInt16:
                case TypeCode.Int32:
                case TypeCode.UInt32:
                case TypeCode.Int64:
                case TypeCode.UInt64:
                case TypeCode.Single:
                case TypeCode.Double:
                case TypeCode.Decimal:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>True for a Go-style duration such as 90s, 5m, 1h30m or 1.5h (what the API's <c>since</c> takes).</summary>
        internal static bool IsDuration(string text) => DurationText.IsMatch(text.Trim());

        internal static bool TryParseDuration(string text, out TimeSpan duration)
        {
            duration = TimeSpan.Zero;
            if (!IsDuration(text))
            {
                return false;
            }

            foreach (Match part in DurationPart.Matches(text.Trim()))
            {
                var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                duration += part.Groups[2].Value switch
                {
                    "h" => TimeSpan.FromHours(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "ns" => TimeSpan.FromTicks((long)(amount / 100)),
                    _ => TimeSpan.FromTicks((long)(amount * 10)),
                };
            }

            return true;
        }
    }
}
