using System.Net;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>The official SDKs' retry rules (kernel-api.md §2).</summary>
public class RetryPolicyTests
{
    private static HttpResponseMessage Answer(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [Theory]
    [InlineData(0, 0.375, 0.5)]
    [InlineData(1, 0.75, 1.0)]
    [InlineData(3, 3.0, 4.0)]
    [InlineData(6, 6.0, 8.0)]
    public void Backoff_doubles_from_half_a_second_up_to_eight_less_up_to_a_quarter(int retriesDone, double min, double max)
    {
        var low = new RetryPolicy(2, () => 0.999).Delay(retriesDone, new TimeoutException());
        var high = new RetryPolicy(2, () => 0.0).Delay(retriesDone, new TimeoutException());

        Assert.InRange(low.TotalSeconds, min, max);
        Assert.Equal(max, high.TotalSeconds, 3);
    }

    [Fact]
    public void Retry_after_ms_wins_over_Retry_After() =>
        Assert.Equal(TimeSpan.FromMilliseconds(1500), RetryPolicy.ReadRetryAfter(Answer(("retry-after-ms", "1500"), ("Retry-After", "9")), DateTimeOffset.UtcNow));

    [Fact]
    public void Retry_After_may_be_an_HTTP_date()
    {
        var now = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.ReadRetryAfter(Answer(("Retry-After", "Sat, 28 Nov 2026 10:00:30 GMT")), now));
    }

    [Fact]
    public void A_server_delay_of_a_minute_or_more_is_ignored_for_the_backoff()
    {
        var api = new KernelApiException(HttpStatusCode.TooManyRequests, "GET", "/apps", "rate_limited", "slow down", null, TimeSpan.FromSeconds(120));

        Assert.True(new RetryPolicy(2, () => 0).Delay(0, api) <= TimeSpan.FromSeconds(0.5));
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(409, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public void Which_statuses_are_retried(int status, bool retried) =>
        Assert.Equal(retried, RetryPolicy.IsRetryable(new KernelApiException((HttpStatusCode)status, "GET", "/x", null, "x", null)));

    [Fact]
    public void X_should_retry_overrides_the_status_both_ways()
    {
        Assert.False(RetryPolicy.IsRetryable(new KernelApiException(HttpStatusCode.ServiceUnavailable, "GET", "/x", null, "x", null, shouldRetry: false)));
        Assert.True(RetryPolicy.IsRetryable(new KernelApiException(HttpStatusCode.BadRequest, "GET", "/x", null, "x", null, shouldRetry: true)));
    }
}
