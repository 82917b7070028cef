using System;
using System.Diagnostics;

namespace Kernel.PowerShell.Diagnostics
{
    /// <summary>Says yes at most once per interval; the first call always passes.</summary>
    internal sealed class Throttle
    {
        private readonly long _intervalTicks;
        private long _last = long.MinValue;

        public Throttle(TimeSpan interval)
        {
            _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        }

        public bool ShouldReport()
        {
            var now = Stopwatch.GetTimestamp();
            if (_last != long.MinValue && now - _last < _intervalTicks)
            {
                return false;
            }

            _last = now;
            return true;
        }
    }
}
