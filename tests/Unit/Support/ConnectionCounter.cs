using System.Net;
using System.Net.Sockets;

namespace Kernel.PowerShell.Tests.Support;

/// <summary>
/// A loopback port that counts the connections made to it. Alone it accepts them and answers nothing: point a
/// session at it to prove that a command sent no request at all. Given a server, it passes every connection
/// through to it and also counts those still open: proof that a command left no connection behind.
/// </summary>
public sealed class ConnectionCounter : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Uri? _server;
    private int _count;
    private int _open;

    public ConnectionCounter(Uri? passThroughTo = null)
    {
        _server = passThroughTo;
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Connections made so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Connections not closed yet by either side.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Waits up to <paramref name="bound"/> for the open connections to drop to <paramref name="expected"/>; returns how many are open.</summary>
    public async Task<int> OpenAfterAsync(int expected, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (Open > expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return Open;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            _accepted.ForEach(c => c.Dispose());
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _count);
                lock (_accepted)
                {
                    _accepted.Add(client);
                }

                if (_server != null)
                {
                    _ = PassThroughAsync(client);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PassThroughAsync(TcpClient client)
    {
        Interlocked.Increment(ref _open);
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_server!.Host, _server.Port, _stop.Token);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), either.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), either.Token);
            await Task.WhenAny(up, down);
            either.Cancel();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _open);
        }
    }
}
