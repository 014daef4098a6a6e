using System.Net;
using System.Net.Sockets;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A TCP listener on 127.0.0.1 and a free port that hands each connection to its handler on a task of its own: the
/// accept loop and the clean stop the raw test servers and proxies share.
/// </summary>
internal sealed class LoopbackTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackTcpServer(Func<TcpClient, Task> handle)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Stopping = _stop.Token;
        _loop = Task.Run(() => AcceptAsync(handle));
    }

    public int Port { get; }

    /// <summary>Cancelled when the server stops: handlers give up their reads and writes with it.</summary>
    public CancellationToken Stopping { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<TcpClient, Task> handle)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => handle(client));
        }
    }
}
