using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// A raw TCP endpoint that reads a request and then never answers (a hung Falco), or answers after a delay. A
/// request counts as in flight until the client closes its connection, which is what a scraper that gave up
/// does, so <see cref="MaxInFlight"/> shows whether one instance's runs ever overlapped.
/// </summary>
internal sealed class HangingEndpoint : IAsyncDisposable
{
    private static readonly byte[] Body = "# TYPE x gauge\nx 1\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan? _answerAfter;
    private readonly Task _loop;
    private readonly ConcurrentQueue<string> _paths = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;

    public HangingEndpoint(TimeSpan? answerAfter = null)
    {
        _answerAfter = answerAfter;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/metrics";

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The path of each request, in the order they arrived: which instance asked, and how often.</summary>
    public IReadOnlyList<string> Paths => [.. _paths];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

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
                    var read = await stream.ReadAsync(buffer, _stop.Token);
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
                    await Task.Delay(delay, _stop.Token);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(Body, _stop.Token);
                    return;
                }

                // Hung: wait for the client to give up and close.
                while (await stream.ReadAsync(buffer, _stop.Token) > 0)
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
