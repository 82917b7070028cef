using System.Threading.Channels;

namespace Kernel.Emulator.Deployments;

/// <summary>The Deployment object of kernel-api.md §6, as the emulator serializes it.</summary>
public sealed record DeploymentView(
    string Id,
    DateTime CreatedAt,
    string Region,
    string Status,
    string? StatusReason,
    string EntrypointRelPath,
    IReadOnlyDictionary<string, string> EnvVars,
    DateTime? UpdatedAt,
    string SourceType,
    string SourceChecksum);

/// <summary>One event of a deployment's stream: its time and its JSON <c>data</c>.</summary>
public sealed record StreamEvent(DateTime Timestamp, string Data, bool EndsStream);

/// <summary>A deployment, its event history and the streams following it. Every member is guarded by the record's lock.</summary>
public sealed class DeploymentRecord
{
    private readonly object _gate = new();
    private readonly List<StreamEvent> _events = [];
    private readonly List<Channel<StreamEvent>> _followers = [];
    private DeploymentView _view;

    public DeploymentRecord(DeploymentView view, string appVersion)
    {
        _view = view;
        AppVersion = appVersion;
    }

    public string Id => _view.Id;

    public string AppVersion { get; }

    public DeploymentView View
    {
        get
        {
            lock (_gate)
            {
                return _view;
            }
        }
    }

    /// <summary>Changes the state and records the deployment_state event; failed and stopped end every stream.</summary>
    public void SetStatus(string status, string? reason, DateTime now)
    {
        lock (_gate)
        {
            _view = _view with { Status = status, StatusReason = reason, UpdatedAt = now };
            var data = KernelJson.Serialize(new { @event = "deployment_state", timestamp = now, deployment = _view });
            Publish(new StreamEvent(now, data, EndsStream: status is "failed" or "stopped"));
        }
    }

    public void Log(string message, DateTime now) =>
        Append(now, new { @event = "log", timestamp = now, message = message + "\n" });

    public void Append(DateTime now, object payload)
    {
        lock (_gate)
        {
            Publish(new StreamEvent(now, KernelJson.Serialize(payload), EndsStream: false));
        }
    }

    /// <summary>
    /// The events at or after <paramref name="since"/> so far, and a channel of those still to come, taken
    /// together so that none is missed or seen twice. The channel is null when the stream has already ended.
    /// </summary>
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

    private void Publish(StreamEvent e)
    {
        _events.Add(e);
        foreach (var follower in _followers)
        {
            follower.Writer.TryWrite(e);
            if (e.EndsStream)
            {
                follower.Writer.TryComplete();
            }
        }

        if (e.EndsStream)
        {
            _followers.Clear();
        }
    }
}
