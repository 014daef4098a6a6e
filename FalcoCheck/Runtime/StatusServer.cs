using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FalcoCheck.Configuration;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// The daemon's status endpoint: <c>GET /status</c> (the <see cref="StatusReport"/> as JSON) and <c>GET /healthz</c>,
/// HEAD of both; one request per connection (<c>Connection: close</c>). It binds where <c>status.listen</c> says,
/// loopback by default.
/// </summary>
/// <remarks>
/// A small HTTP/1.1 server on a <see cref="Socket"/>, because both ready-made servers fail it. <c>HttpListener</c> on
/// Linux can throw <see cref="ArgumentNullException"/> out of <c>Start()</c> when a client connects while it starts
/// (dotnet/corefx#35191: the first accept completes before the constructor has set the field it locks), so a liveness
/// probe could take the daemon down. Kestrel, already in the binary for the alert receiver, costs ~4.5 MiB resident in
/// a 100-instance daemon whose target is 40 MiB. Here nothing on a connection can reach the daemon: every failure is
/// logged, a client gets <see cref="DefaultReadTimeout"/> for its request, and at most <see cref="MaxConnections"/> are
/// served at once (more are closed).
/// </remarks>
internal sealed class StatusServer : IAsyncDisposable
{
    /// <summary>Connections served at once; a status endpoint is read by a person, a probe or a poller.</summary>
    public const int MaxConnections = 16;

    /// <summary>The request line and headers must fit in this (Kestrel's limit for the request line alone); a status request takes ~100 bytes.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    /// <summary>How long a client has for its request and for reading the answer, unless <c>Start</c> is given another.</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection is drained after the answer, so unread request bytes do not reset it.</summary>
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private static readonly byte[] Healthy = "{\"status\":\"ok\"}\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly Func<StatusReport> _report;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _readTimeout;
    private readonly Task _loop;
    private int _open;

    private StatusServer(Socket listener, Func<StatusReport> report, ILogger logger, TimeSpan readTimeout)
    {
        _listener = listener;
        _report = report;
        _logger = logger;
        _readTimeout = readTimeout;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The address bound, with the real port when asked for port 0.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <exception cref="InvalidOperationException">The address cannot be bound (in use, not local, not allowed).</exception>
    public static StatusServer Start(IPEndPoint listen, Func<StatusReport> report, ILogger logger, TimeSpan? readTimeout = null)
    {
        var socket = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (listen.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (OperatingSystem.IsLinux())
            {
                // SO_REUSEADDR alone (SOL_SOCKET 1, SO_REUSEADDR 2), as Kestrel: a restart binds while closed connections
                // sit in TIME_WAIT. Socket's ReuseAddress option would add SO_REUSEPORT and let two daemons share the port.
                socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
            }

            socket.Bind(listen);
            socket.Listen(MaxConnections);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"status.listen {listen}: {e.Message} (set another status.listen, or status.enabled: false)", e);
        }

        return new StatusServer(socket, report, logger, readTimeout ?? DefaultReadTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Volatile.Read(ref _open) > 0)
        {
            // Each connection ends promptly once stopped: its reads and writes take the stop token.
            await _drained.Task.WaitAsync(LingerTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (Volatile.Read(ref _open) == 0)
        {
            // A connection still open (stuck in a system call past the wait) may yet read the token.
            _stop.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors, a connection reset before it was accepted: the listener itself is fine.
                DaemonLog.StatusServerProblem(_logger, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (Interlocked.Increment(ref _open) > MaxConnections)
            {
                client.Dispose();
                Closed();
                continue;
            }

            // Off the accept loop: a request that has already arrived is answered inline up to the first wait.
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private void Closed()
    {
        if (Interlocked.Decrement(ref _open) == 0 && _stop.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            deadline.CancelAfter(_readTimeout);
            var buffer = new byte[MaxHeadBytes];
            var (length, complete) = await ReadHeadAsync(client, buffer, deadline.Token).ConfigureAwait(false);
            if (length == 0)
            {
                // Connected and closed without a word: a TCP probe.
                return;
            }

            await client.SendAsync(complete ? Answer(buffer.AsSpan(0, length)) : TooLarge(), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Send);
            await LingerAsync(client, buffer).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            DaemonLog.StatusServerProblem(_logger, string.Create(CultureInfo.InvariantCulture,
                $"a client took more than {_readTimeout.TotalSeconds:0.#} s to send its request or read the answer; closed"));
        }
#pragma warning disable CA1031 // Nothing on one connection may reach the daemon; the failure is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DaemonLog.StatusServerProblem(_logger, e.Message);
        }
        finally
        {
            client.Dispose();
            Closed();
        }
    }

    /// <summary>Reads up to the blank line that ends the head; complete is false when it does not fit the buffer.</summary>
    private static async Task<(int Length, bool Complete)> ReadHeadAsync(Socket client, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (length == 0)
                {
                    return (0, false);
                }

                throw new IOException("a client closed the connection in the middle of its request");
            }

            var from = Math.Max(0, length - 3);
            length += read;
            if (HeadEnd(buffer.AsSpan(from, length - from)))
            {
                return (length, true);
            }
        }

        return (length, false);
    }

    /// <summary>A blank line: CRLF CRLF, or bare LF LF (RFC 9112 section 2.2 lets a server accept LF alone).</summary>
    private static bool HeadEnd(ReadOnlySpan<byte> bytes) => bytes.IndexOf("\n\r\n"u8) >= 0 || bytes.IndexOf("\n\n"u8) >= 0;

    /// <summary>Reads and drops what the client still sends until it closes, so closing does not reset the answer.</summary>
    private async Task LingerAsync(Socket client, byte[] buffer)
    {
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        linger.CancelAfter(LingerTimeout);
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // The answer is sent; a client that neither closes nor reads is not waited for.
        }
    }

    private byte[] Answer(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf((byte)'\n');
        var line = Encoding.ASCII.GetString(head[..lineEnd].TrimEnd((byte)'\r'));
        var parts = line.Split(' ');
        if (parts.Length != 3 || !HeaderRules.IsValidName(parts[0]) || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[2].Length != 8
            || !char.IsAsciiDigit(parts[2][7]) || PathOf(parts[1]) is not { } path || !HeadersAreFields(head[(lineEnd + 1)..]))
        {
            return Response(400, "Bad Request", "text/plain; charset=utf-8", "bad request: expected a request line 'METHOD /path HTTP/1.1' and header fields\n"u8, omitBody: false);
        }

        var method = parts[0];
        var isHead = method == "HEAD";
        if (method != "GET" && !isHead)
        {
            return Response(405, "Method Not Allowed", null, [], omitBody: false, allow: true);
        }

        return path switch
        {
            "/status" => Response(200, "OK", "application/json", JsonSerializer.SerializeToUtf8Bytes(_report(), StatusJsonContext.Default.StatusReport), isHead),
            "/healthz" => Response(200, "OK", "application/json", Healthy, isHead),
            _ => Response(404, "Not Found", "text/plain; charset=utf-8", "not found: try /status or /healthz\n"u8, isHead),
        };
    }

    private static byte[] TooLarge() => Response(431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
        Encoding.ASCII.GetBytes($"the request line and headers are larger than {MaxHeadBytes} bytes\n"), omitBody: false);

    /// <summary>The path of an origin-form (<c>/status?x</c>) or absolute-form (<c>http://host/status</c>) target.</summary>
    private static string? PathOf(string target)
    {
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var slash = target.IndexOf('/', target.IndexOf("//", StringComparison.Ordinal) + 2);
            target = slash < 0 ? "/" : target[slash..];
        }

        if (!target.StartsWith('/'))
        {
            return null;
        }

        var end = target.AsSpan().IndexOfAny('?', '#');
        return end < 0 ? target : target[..end];
    }

    /// <summary>Every line up to the blank one is <c>name: value</c> with a token for name (RFC 9110 section 5.1).</summary>
    private static bool HeadersAreFields(ReadOnlySpan<byte> headers)
    {
        while (headers.IndexOf((byte)'\n') is var end and >= 0)
        {
            var field = headers[..end].TrimEnd((byte)'\r');
            if (field.IsEmpty)
            {
                return true;
            }

            var colon = field.IndexOf((byte)':');
            if (colon <= 0 || !HeaderRules.IsValidName(Encoding.ASCII.GetString(field[..colon])))
            {
                return false;
            }

            headers = headers[(end + 1)..];
        }

        return false;
    }

    private static byte[] Response(int status, string reason, string? contentType, ReadOnlySpan<byte> body, bool omitBody, bool allow = false)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Date: {DateTimeOffset.UtcNow:R}\r\n");
        if (allow)
        {
            text.Append("Allow: GET, HEAD\r\n");
        }

        if (contentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        return omitBody ? bytes : [.. bytes, .. body];
    }
}
