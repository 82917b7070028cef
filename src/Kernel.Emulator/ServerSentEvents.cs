using System.Threading.Channels;
using Kernel.Emulator.Deployments;

namespace Kernel.Emulator;

/// <summary>
/// Writes an event stream the way the Kernel SDKs read it (kernel-api.md §5): one <c>data:</c> JSON line per
/// event, keep-alives as sse_heartbeat data events (never comments), and the stream closed at the end.
/// </summary>
public static class ServerSentEvents
{
    public static async Task StreamAsync(HttpContext context, IReadOnlyList<StreamEvent> past, ChannelReader<StreamEvent>? live, TimeSpan heartbeat, TimeProvider clock)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-SSE-Content-Type"] = "application/json";
        await response.StartAsync(aborted);

        foreach (var e in past)
        {
            await WriteAsync(response, e.Data, aborted);
        }

        if (live is null)
        {
            return;
        }

        try
        {
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
                    var now = clock.GetUtcNow().UtcDateTime;
                    await WriteAsync(response, KernelJson.Serialize(new { @event = "sse_heartbeat", timestamp = now }), aborted);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                while (live.TryRead(out var e))
                {
                    await WriteAsync(response, e.Data, aborted);
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
