using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>
/// A small authenticating HTTP forward proxy on loopback, as a corporate proxy behaves: it takes absolute-form
/// requests ("GET http://host:port/path HTTP/1.1") and CONNECT, answers 407 with a Basic challenge until the
/// request carries the right Proxy-Authorization, and forwards the rest, one request per connection. Given
/// <c>routeTo</c>, it sends everything there whatever host the request names, so a made-up host name can stand
/// for a remote API.
/// </summary>
public sealed class ForwardProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string? _expectedAuthorization;
    private readonly Uri? _routeTo;
    private readonly ConcurrentQueue<string> _forwarded = new();
    private readonly ConcurrentQueue<string> _refused = new();

    public ForwardProxy(NetworkCredential? required = null, Uri? routeTo = null)
    {
        _expectedAuthorization = required == null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(required.UserName + ":" + required.Password));
        _routeTo = routeTo;
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The request lines it passed on, e.g. "GET http://127.0.0.1:4000/deployments?limit=1 HTTP/1.1".</summary>
    public IReadOnlyCollection<string> Forwarded => _forwarded.ToArray();

    /// <summary>The request lines it answered with 407.</summary>
    public IReadOnlyCollection<string> Refused => _refused.ToArray();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = HandleAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var (head, rest) = await ReadHeadAsync(stream);
            if (head == null)
            {
                return;
            }

            var lines = head.Split("\r\n");
            var requestLine = lines[0];
            var headers = lines.Skip(1).Where(l => l.Length > 0).ToList();
            var authorization = headers.FirstOrDefault(h => h.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))?["Proxy-Authorization:".Length..].Trim();
            if (_expectedAuthorization != null && authorization != _expectedAuthorization)
            {
                _refused.Enqueue(requestLine);
                await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test proxy\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                await DrainAsync(stream);
                return;
            }

            var parts = requestLine.Split(' ');
            var connect = parts[0] == "CONNECT";
            var target = connect ? new Uri("http://" + parts[1]) : new Uri(parts[1]);
            using var server = new TcpClient();
            await server.ConnectAsync((_routeTo ?? target).Host, (_routeTo ?? target).Port, _stop.Token);
            var upstream = server.GetStream();
            _forwarded.Enqueue(requestLine);
            if (connect)
            {
                await WriteAsync(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
            }
            else
            {
                var forwardedHeaders = headers.Where(h => !IsHopByHop(h)).Append("Connection: close");
                await WriteAsync(upstream, $"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n{string.Join("\r\n", forwardedHeaders)}\r\n\r\n");
            }

            await upstream.WriteAsync(rest, _stop.Token);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = stream.CopyToAsync(upstream, either.Token);
            var down = upstream.CopyToAsync(stream, either.Token);
            await Task.WhenAny(up, down);
            either.Cancel();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private static bool IsHopByHop(string header)
    {
        var name = header[..Math.Max(0, header.IndexOf(':'))].Trim();
        return name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The request head as text, and whatever of the body came with it; null head when the client left first.</summary>
    private async Task<(string? Head, byte[] Body)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return (null, []);
            }

            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            var end = IndexOfHeadEnd(buffer);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(buffer.GetRange(0, end).ToArray()), buffer.GetRange(end + 4, buffer.Count - end - 4).ToArray());
            }
        }
    }

    private static int IndexOfHeadEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads what the client still sends (a body after a 407) until it closes, so it never blocks writing.</summary>
    private async Task DrainAsync(NetworkStream stream)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        var sink = new byte[65536];
        while (await stream.ReadAsync(sink, bound.Token) > 0)
        {
        }
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();
}
