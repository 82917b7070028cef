using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// The official SDKs' retry contract (kernel-api.md §2): x-should-retry decides when present; otherwise
    /// connection errors, timeouts, 408, 409, 429 and 5xx are retried. The delay is retry-after-ms or
    /// Retry-After (seconds or an HTTP date) when under 60 s, else min(0.5 s × 2ⁿ, 8 s) less up to 25 % jitter.
    /// </summary>
    internal sealed class RetryPolicy
    {
        private static readonly TimeSpan MaxServerDelay = TimeSpan.FromSeconds(60);
        private readonly Func<double> _random;

        public RetryPolicy(int maxRetries, Func<double>? random = null)
        {
            MaxRetries = maxRetries;
            var shared = new Random();
            _random = random ?? (() =>
            {
                lock (shared)
                {
                    return shared.NextDouble();
                }
            });
        }

        public int MaxRetries { get; }

        /// <summary>Whether a failed attempt may be tried again at all (the caller still checks the count).</summary>
        public static bool IsRetryable(Exception failure) => failure switch
        {
            KernelApiException api when api.ShouldRetry.HasValue => api.ShouldRetry.Value,
            KernelApiException api => IsRetryableStatus(api.StatusCode),
            KernelConnectionException _ => true,
            TimeoutException _ => true,
            _ => false,
        };

        public static bool IsRetryableStatus(HttpStatusCode status)
        {
            var code = (int)status;
            return code == 408 || code == 409 || code == 429 || code >= 500;
        }

        /// <summary>The wait before retry number <paramref name="retriesDone"/> + 1.</summary>
        public TimeSpan Delay(int retriesDone, Exception failure)
        {
            if (failure is KernelApiException api && api.RetryAfter is { } serverDelay && serverDelay > TimeSpan.Zero && serverDelay < MaxServerDelay)
            {
                return serverDelay;
            }

            var backoff = Math.Min(0.5 * Math.Pow(2, retriesDone), 8.0);
            return TimeSpan.FromSeconds(backoff * (1 - (0.25 * _random())));
        }

        /// <summary>What the answer asks: retry-after-ms first, then Retry-After as seconds or as an HTTP date.</summary>
        public static TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
        {
            if (response.Headers.TryGetValues("retry-after-ms", out var ms)
                && double.TryParse(string.Join(string.Empty, ms), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }

            var retryAfter = response.Headers.RetryAfter;
            if (retryAfter?.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter?.Date is { } date)
            {
                return date - now;
            }

            // RetryConditionHeaderValue does not take fractional seconds; the SDKs do.
            if (response.Headers.TryGetValues("Retry-After", out var raw)
                && double.TryParse(string.Join(string.Empty, raw), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            return null;
        }

        /// <summary>x-should-retry: true or false when the server says, else null.</summary>
        public static bool? ReadShouldRetry(HttpHeaders headers) =>
            headers.TryGetValues("x-should-retry", out var values)
                ? string.Equals(string.Join(string.Empty, values).Trim(), "true", StringComparison.OrdinalIgnoreCase)
                    ? true
                    : string.Equals(string.Join(string.Empty, values).Trim(), "false", StringComparison.OrdinalIgnoreCase) ? false : (bool?)null
                : null;
    }
}
