using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>Log lines through a followed stream: repeats kept, only a reconnect's replay dropped.</summary>
public class EventFollowerTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Burst = ["Collecting x", "", "", "ok", "ok"];

    private static KernelEvent Line(string message, DateTimeOffset? at = null) => new KernelEvent.Log(new KernelLogEntry("d1", at ?? At, message));

    /// <summary>Follows scripted connections (each a list of events, then a break or the end) and returns the lines delivered.</summary>
    private static async Task<(List<string> Lines, List<string?> Since)> FollowAsync(params (KernelEvent[] Events, bool Breaks)[] connections)
    {
        var delivered = new List<string>();
        var since = new List<string?>();
        var next = 0;
        await new EventFollower().RunAsync(
            (from, handler) =>
            {
                since.Add(from);
                var (events, breaks) = connections[next++];
                foreach (var e in events)
                {
                    handler(e);
                }

                return breaks ? throw new KernelConnectionException("cut", null) : Task.FromResult(next == connections.Length);
            },
            e =>
            {
                delivered.Add(((KernelEvent.Log)e).Entry.Message);
                return true;
            },
            () => Task.FromResult(true),
            "deployment d1",
            NullObserver.Instance,
            CancellationToken.None);
        return (delivered, since);
    }

    [Fact]
    public async Task Repeated_lines_with_one_timestamp_all_arrive()
    {
        var (lines, _) = await FollowAsync((Burst.Select(m => Line(m)).ToArray(), false));

        Assert.Equal(Burst, lines);
    }

    [Fact]
    public async Task A_reconnect_in_the_middle_of_a_burst_drops_only_the_replayed_lines()
    {
        // The stream breaks after three lines; reopened from their timestamp, the server replays those three first.
        var (lines, since) = await FollowAsync(
            (Burst.Take(3).Select(m => Line(m)).ToArray(), true),
            (Burst.Select(m => Line(m)).Append(Line("done", At.AddSeconds(1))).ToArray(), false));

        Assert.Equal([.. Burst, "done"], lines);
        Assert.Equal([null, "2026-03-01T12:00:00.0000000Z"], since);
    }

    [Fact]
    public async Task Lines_older_than_the_seam_are_dropped_after_a_reconnect()
    {
        var (lines, _) = await FollowAsync(
            ([Line("first", At.AddSeconds(-1)), Line("second")], true),
            ([Line("first", At.AddSeconds(-1)), Line("second"), Line("second"), Line("third", At.AddSeconds(1))], false));

        Assert.Equal(["first", "second", "second", "third"], lines);
    }
}
