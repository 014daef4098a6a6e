using System.Net;
using System.Net.Sockets;

namespace FalcoCheck.Tests.Support;

/// <summary>
/// A loopback TCP forwarder in front of a real server that counts the connections a client opens. It copies bytes
/// both ways untouched (a TLS session runs end to end through it) and passes a half-close on, so what the client
/// sends and how it closes reach the server as they were.
/// </summary>
internal sealed class CountingTcpProxy : IAsyncDisposable
{
    private readonly LoopbackTcpServer _server;
    private readonly int _target;
    private int _accepted;

    public CountingTcpProxy(int targetPort)
    {
        _target = targetPort;
        _server = new LoopbackTcpServer(ForwardAsync);
    }

    public int Port => _server.Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ForwardAsync(TcpClient accepted)
    {
        Interlocked.Increment(ref _accepted);
        Socket client = accepted.Client;
        using (accepted)
        using (var server = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _server.Stopping);
                await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // One side reset or the proxy stopped: the other side is closed with it.
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _server.Stopping)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _server.Stopping);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A reset on one side: reset the other too, as a direct connection would have been.
            to.Close(0);
        }
    }
}
