using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// A raw TCP endpoint that reads a request and then never answers (a hung Falco), or answers after a delay. A
/// request counts as in flight until the client closes its connection, which is what a scraper that gave up
/// does, so <see cref="MaxInFlight"/> shows whether one instance's runs ever overlapped.
/// </summary>
internal sealed class HangingEndpoint : IAsyncDisposable
{
    private static readonly byte[] Body = "# TYPE x gauge\nx 1\n"u8.ToArray();

    private readonly LoopbackTcpServer _server;
    private readonly TimeSpan? _answerAfter;
    private readonly ConcurrentQueue<string> _paths = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;

    public HangingEndpoint(TimeSpan? answerAfter = null)
    {
        _answerAfter = answerAfter;
        _server = new LoopbackTcpServer(HandleAsync);
    }

    public int Port => _server.Port;

    public string Url => $"http://127.0.0.1:{Port}/metrics";

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The path of each request, in the order they arrived: which instance asked, and how often.</summary>
    public IReadOnlyList<string> Paths => [.. _paths];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var request = new StringBuilder();
            var counted = false;
            try
            {
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _server.Stopping);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                counted = true;
                _paths.Enqueue(request.ToString().Split(' ', 3)[1]);
                Interlocked.Increment(ref _requests);
                var now = Interlocked.Increment(ref _inFlight);
                int seen;
                while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
                {
                }

                if (_answerAfter is { } delay)
                {
                    await Task.Delay(delay, _server.Stopping);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head, _server.Stopping);
                    await stream.WriteAsync(Body, _server.Stopping);
                    return;
                }

                // Hung: wait for the client to give up and close.
                while (await stream.ReadAsync(buffer, _server.Stopping) > 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
            finally
            {
                if (counted)
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
    }
}
