using System.Threading.Channels;
using Kernel.Emulator.Control;

namespace Kernel.Emulator.Streaming;

/// <summary>
/// Writes an event stream the way the Kernel SDKs read it (kernel-api.md §5): one <c>data:</c> JSON line per
/// event, keep-alives as sse_heartbeat data events (never comments), and the stream closed at the end.
/// A fault may cut the stream, garble an event or send an error event after a number of events.
/// </summary>
public static class ServerSentEvents
{
    /// <summary>
    /// Answers GET /{deployments|invocations}/{id}/events: 404 for an unknown subject, 400 for a bad
    /// <c>since</c>, else the stream from that time on.
    /// </summary>
    public static async Task FollowAsync(HttpContext context, EventStream? stream, string what, string? since, EmulatorOptions options, TimeProvider clock)
    {
        if (stream is null)
        {
            await KernelErrors.NotFound(what).ExecuteAsync(context);
            return;
        }

        if (!EventTime.TryParseSince(since, clock.GetUtcNow().UtcDateTime, out var from))
        {
            await KernelErrors.BadRequest($"invalid since '{since}': use an RFC 3339 time or a duration such as 5m").ExecuteAsync(context);
            return;
        }

        await StreamAsync(context, stream, from, options.HeartbeatInterval, clock);
    }

    private static async Task StreamAsync(HttpContext context, EventStream stream, DateTime? since, TimeSpan heartbeat, TimeProvider clock)
    {
        var (past, live) = stream.Follow(since);
        try
        {
            await WriteStreamAsync(context, past, live, heartbeat, clock);
        }
        finally
        {
            if (live is not null)
            {
                stream.Unfollow(live);
            }
        }
    }

    private static async Task WriteStreamAsync(HttpContext context, IReadOnlyList<StreamEvent> past, ChannelReader<StreamEvent>? live, TimeSpan heartbeat, TimeProvider clock)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        var fault = FaultInjection.StreamFault(context);
        var written = 0;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-SSE-Content-Type"] = "application/json";
        await response.StartAsync(aborted);
        await response.Body.FlushAsync(aborted);

        async Task<bool> Write(string data)
        {
            if (fault is not null && written == fault.AfterEvents)
            {
                if (fault.Kind == FaultKind.MalformedJson)
                {
                    await WriteAsync(response, data[..(data.Length / 2)], aborted);
                    fault = null;
                }
                else if (fault.Kind == FaultKind.ErrorEvent)
                {
                    await WriteAsync(response, KernelJson.Serialize(new { @event = "error", timestamp = clock.GetUtcNow().UtcDateTime, error = FaultInjection.StreamError(fault) }), aborted);
                    return false;
                }
                else
                {
                    await response.Body.FlushAsync(aborted);
                    context.Abort();
                    return false;
                }
            }

            await WriteAsync(response, data, aborted);
            written++;
            return true;
        }

        try
        {
            foreach (var e in past)
            {
                if (!await Write(e.Data))
                {
                    return;
                }
            }

            if (live is null)
            {
                return;
            }

            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                beat.CancelAfter(heartbeat);
                bool more;
                try
                {
                    more = await live.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    if (!await Write(KernelJson.Serialize(new { @event = "sse_heartbeat", timestamp = clock.GetUtcNow().UtcDateTime })))
                    {
                        return;
                    }

                    continue;
                }

                if (!more)
                {
                    return;
                }

                while (live.TryRead(out var e))
                {
                    if (!await Write(e.Data))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task WriteAsync(HttpResponse response, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync("data: " + data + "\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
