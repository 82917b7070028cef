using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Security;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>
/// Waiting for a pool's browser against an API (or a proxy) that answers 204 at once instead of holding the long
/// poll: the wait pauses between asks, a little longer each time, and Ctrl+C still ends it at once.
/// </summary>
public class BrowserPoolAcquireTests
{
    private static readonly SecureString Key = new NetworkCredential(string.Empty, "sk_test").SecurePassword;

    [Fact]
    public async Task A_204_at_once_is_asked_again_after_a_pause_not_in_a_tight_loop()
    {
        var asks = 0;
        using var client = Client(() => Interlocked.Increment(ref asks));
        var clock = Stopwatch.StartNew();

        var browser = await client.AcquireBrowserAsync("busy", TimeSpan.FromSeconds(2), [], NullObserver.Instance, CancellationToken.None);

        Assert.Null(browser);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(10));
        Assert.InRange(asks, 3, 6); // at 0, 0.5, 1.5 and the deadline: hundreds without the pause
    }

    [Fact]
    public async Task Ctrl_C_during_a_pause_ends_the_wait_at_once()
    {
        using var cancel = new CancellationTokenSource();
        var asks = 0;
        var fourth = Stopwatch.StartNew();
        using var client = Client(() =>
        {
            if (Interlocked.Increment(ref asks) == 4)
            {
                // The pause after the fourth quick 204 is 4 s: Ctrl+C a moment into it.
                fourth.Restart();
                cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AcquireBrowserAsync("busy", TimeSpan.FromMinutes(5), [], NullObserver.Instance, cancel.Token));

        Assert.Equal(4, asks);
        Assert.True(fourth.Elapsed < TimeSpan.FromSeconds(2), $"ended {fourth.Elapsed} after the fourth ask");
    }

    [Theory]
    [InlineData(1, 60, 0.5)]
    [InlineData(2, 60, 1)]
    [InlineData(3, 60, 2)]
    [InlineData(4, 60, 4)]
    [InlineData(5, 60, 5)]
    [InlineData(50, 60, 5)]
    [InlineData(3, 0.3, 0.3)]
    [InlineData(1, 0.0009, 0.001)] // Task.Delay would make 0.9 ms no pause at all, and the wait a tight loop
    [InlineData(1, -1, 0)]
    public void The_pause_doubles_up_to_5_s_and_never_passes_the_deadline(int quickAnswers, double secondsLeft, double pause) =>
        Assert.Equal(TimeSpan.FromSeconds(pause), BrowserPoolApi.BackOff(quickAnswers, TimeSpan.FromSeconds(secondsLeft)));

    private static KernelApiClient Client(Action asked) =>
        new(new Uri("http://127.0.0.1:9/"), Key, null, new AnswerAtOnce(asked));

    /// <summary>A pool with no free browser, behind something that answers 204 without holding the request.</summary>
    private sealed class AnswerAtOnce(Action asked) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.EndsWith("/browser_pools/busy/acquire", request.RequestUri!.AbsolutePath);
            asked();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
