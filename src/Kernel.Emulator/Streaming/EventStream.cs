using System.Threading.Channels;

namespace Kernel.Emulator.Streaming;

/// <summary>One event of a stream: its time, its JSON <c>data</c>, and whether it is the last.</summary>
public sealed record StreamEvent(DateTime Timestamp, string Data, bool EndsStream);

/// <summary>
/// The event history of one deployment or invocation and the streams following it. A follower gets the
/// past and the future in one step, so no event is missed or seen twice; the stream ends with a terminal event.
/// </summary>
public sealed class EventStream
{
    private readonly object _gate = new();
    private readonly List<StreamEvent> _events = [];
    private readonly List<Channel<StreamEvent>> _followers = [];

    public void Publish(DateTime timestamp, object payload, bool endsStream = false)
    {
        var e = new StreamEvent(timestamp, KernelJson.Serialize(payload), endsStream);
        lock (_gate)
        {
            if (_events.Count > 0 && _events[^1].EndsStream)
            {
                return;
            }

            _events.Add(e);
            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(e);
                if (endsStream)
                {
                    follower.Writer.TryComplete();
                }
            }

            if (endsStream)
            {
                _followers.Clear();
            }
        }
    }

    /// <summary>The events at or after <paramref name="since"/>, and a reader of those to come (null once ended).</summary>
    public (IReadOnlyList<StreamEvent> Past, ChannelReader<StreamEvent>? Live) Follow(DateTime? since)
    {
        lock (_gate)
        {
            var past = _events.Where(e => since is null || e.Timestamp >= since).ToList();
            if (_events.Count > 0 && _events[^1].EndsStream)
            {
                return (past, null);
            }

            var channel = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true });
            _followers.Add(channel);
            return (past, channel.Reader);
        }
    }

    public void Unfollow(ChannelReader<StreamEvent> reader)
    {
        lock (_gate)
        {
            _followers.RemoveAll(c => c.Reader == reader);
        }
    }
}
