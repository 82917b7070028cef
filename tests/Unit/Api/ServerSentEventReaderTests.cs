using System.Text;
using Kernel.PowerShell.Api;

namespace Kernel.PowerShell.Tests.Api;

/// <summary>The text/event-stream wire format.</summary>
public class ServerSentEventReaderTests
{
    private static async Task<List<string>> ReadAll(string wire)
    {
        var reader = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes(wire)));
        var messages = new List<string>();
        while (await reader.ReadMessageAsync(CancellationToken.None) is { } data)
        {
            messages.Add(data);
        }

        return messages;
    }

    [Fact]
    public async Task Each_blank_line_ends_a_message() =>
        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], await ReadAll("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n"));

    [Fact]
    public async Task Data_lines_of_one_message_are_joined_with_newlines() =>
        Assert.Equal(["line1\nline2"], await ReadAll("data: line1\ndata: line2\n\n"));

    [Fact]
    public async Task Comments_event_names_and_ids_are_skipped() =>
        Assert.Equal(["x"], await ReadAll(": keep-alive\n\nevent: log\nid: 7\ndata:x\n\n"));

    [Fact]
    public async Task Carriage_return_line_ends_are_understood() =>
        Assert.Equal(["x", "y"], await ReadAll("data: x\r\n\r\ndata: y\r\n\r\n"));

    [Fact]
    public async Task A_message_cut_off_by_the_end_of_the_stream_is_dropped() =>
        Assert.Equal(["whole"], await ReadAll("data: whole\n\ndata: cut"));

    [Fact]
    public async Task A_line_split_across_reads_is_put_back_together()
    {
        var reader = new ServerSentEventReader(new TrickleStream("data: {\"long\":\"message\"}\r\n\r\n"u8.ToArray()));

        Assert.Equal("{\"long\":\"message\"}", await reader.ReadMessageAsync(CancellationToken.None));
        Assert.Null(await reader.ReadMessageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_pending_read_ends_when_cancelled()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        var reader = new ServerSentEventReader(pipe);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadMessageAsync(cancel.Token));
    }

    /// <summary>Hands out one byte per read, the worst a network can do.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(1, count), cancellationToken);
    }

    [Fact]
    public async Task A_byte_order_mark_at_the_start_is_skipped()
    {
        var wire = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("data: first\n\n")).ToArray();
        var reader = new ServerSentEventReader(new MemoryStream(wire));

        Assert.Equal("first", await reader.ReadMessageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_line_over_the_cap_is_refused_instead_of_buffered_without_end()
    {
        var reader = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes("data: " + new string('x', 100_000) + "\n\n")), maxLineBytes: 64 * 1024);

        var error = await Assert.ThrowsAsync<KernelProtocolException>(() => reader.ReadMessageAsync(CancellationToken.None));

        Assert.Contains("longer than", error.Message);
    }

    [Fact]
    public async Task A_line_that_arrives_a_byte_at_a_time_is_read_whole()
    {
        var reader = new ServerSentEventReader(new TrickleStream(Encoding.UTF8.GetBytes("data: " + new string('y', 50_000) + "\r\n\r\ndata: z\n\n")));

        Assert.Equal(new string('y', 50_000), await reader.ReadMessageAsync(CancellationToken.None));
        Assert.Equal("z", await reader.ReadMessageAsync(CancellationToken.None));
    }
}
