using System.Buffers;
using System.Buffers.Text;
using System.Net.Security;
using System.Net.Sockets;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Syslog;

/// <summary>
/// Sends alerts to a syslog receiver as RFC 5424 messages (<see cref="SyslogEncoder"/>): one datagram each over UDP,
/// octet-counted (<c>LEN SP MSG</c>, RFC 6587 3.4.1) on one kept connection over TCP and TLS. A write that fails
/// closes the connection and the queue retries the request on a new one.
/// </summary>
/// <remarks>
/// NOTE: syslog has no acknowledgement. Over TCP a request counts as sent once the kernel took it; over UDP once the
/// datagram left (a closed port is noticed only at a later send, from the ICMP error). Use TCP or TLS when loss matters.
/// A connection the receiver closed is noticed before the next write (a read kept pending on it ends); one that breaks
/// during a write is retried whole on a new connection, so the receiver may get part of that request twice.
/// </remarks>
internal sealed class SyslogSink(SyslogOptions options) : IBatchSender<LogBatch>
{
    private const int MaxEntries = 1000;
    private const long MaxBytes = 4L * 1024 * 1024;

    /// <summary>Longest wait at shutdown for the receiver to close its side after ours.</summary>
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(2);

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _message = new(4096);
    private Socket? _socket;
    private Stream? _stream;

    /// <summary>Completes when the peer closes the kept TCP or TLS connection (<see cref="WatchAsync"/>).</summary>
    private Task? _closedByPeer;

    public string Name { get; } = "syslog:" + options.Display;

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        int count = Math.Max(1, batch.Fitting(MaxEntries, MaxBytes));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await ConnectAsync(timeout.Token).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
            int encoded = 0;
            ReadOnlyMemory<byte[]> entries = batch.RemainingEntries[..count];
            for (int i = 0; i < entries.Length; i++)
            {
                byte[] entry = entries.Span[i];
                if (AlertDocument.Parse(entry, out string? error) is not { } alert)
                {
                    if (encoded == 0)
                    {
                        return SendAttempt.Of(DeliveryOutcome.Rejected("a queued alert cannot be read: " + error), 1);
                    }

                    break;
                }

                _message.ResetWrittenCount();
                SyslogEncoder.Encode(alert, entry, options.Facility, options.Format, _message);
                if (options.Transport == SyslogTransport.Udp)
                {
                    ReadOnlyMemory<byte> datagram = _message.WrittenMemory;
                    await _socket!.SendAsync(datagram[..SyslogEncoder.CutAt(datagram.Span, SyslogEncoder.MaxDatagramBytes)], timeout.Token).ConfigureAwait(false);
                }
                else
                {
                    Span<byte> length = _buffer.GetSpan(12);
                    Utf8Formatter.TryFormat(_message.WrittenCount, length, out int written);
                    length[written] = (byte)' ';
                    _buffer.Advance(written + 1);
                    _buffer.Write(_message.WrittenSpan);
                }

                encoded++;
            }

            if (_stream is not null)
            {
                await _stream.WriteAsync(_buffer.WrittenMemory, timeout.Token).ConfigureAwait(false);
                await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            }

            return SendAttempt.Of(DeliveryOutcome.Sent, encoded);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            Close();
            string reason = e is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"no answer within {options.Timeout.TotalSeconds:0.###} s"
                : e.Message;
            return SendAttempt.Of(DeliveryOutcome.Retry($"{Name}: {reason}"), count);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // A connection the peer closed: writing into it would succeed locally and lose the alerts, so open a new one.
        if (_closedByPeer is { IsCompleted: true })
        {
            Close();
        }

        if (_socket is not null)
        {
            return;
        }

        bool udp = options.Transport == SyslogTransport.Udp;
        var socket = udp
            ? new Socket(SocketType.Dgram, ProtocolType.Udp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
            if (options.Transport == SyslogTransport.Tls)
            {
                var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                SslClientAuthenticationOptions ssl = options.Tls.Create();
                ssl.TargetHost = options.Host;
                await tls.AuthenticateAsClientAsync(ssl, cancellationToken).ConfigureAwait(false);
                _stream = tls;
            }
            else if (!udp)
            {
                _stream = new NetworkStream(socket, ownsSocket: false);
            }

            _socket = socket;
            _closedByPeer = _stream is null ? null : WatchAsync(_stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the kept connection until the peer closes it. A syslog receiver sends no data, but a TLS 1.3 server
    /// sends session tickets after the handshake (OpenSSL servers two, by default): only a read through the
    /// <see cref="SslStream"/> consumes them. Left unread they kept the socket readable, which looked like a close,
    /// so every request reconnected, and closing a socket with unread bytes sends a reset that can discard what the
    /// previous request left in the send buffer. Completes on end of stream (FIN, close_notify), a reset, or
    /// <see cref="Close"/>.
    /// </summary>
    private static async Task WatchAsync(Stream stream)
    {
        byte[] buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
                // Nothing a receiver sends is for us.
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            // Reset, or closed by us: the connection is over either way.
        }
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
        _socket?.Dispose();
        _socket = null;
        _closedByPeer = null;
    }

    /// <summary>
    /// At shutdown, closes as a client should: TLS close_notify, then FIN once the kernel has sent what is queued,
    /// so the receiver reads the last request to its end instead of losing it to a reset.
    /// </summary>
    public void Dispose()
    {
        try
        {
            if (_stream is SslStream tls)
            {
                tls.ShutdownAsync().WaitAsync(ShutdownWait).GetAwaiter().GetResult();
            }

            if (_stream is not null)
            {
                _socket?.Shutdown(SocketShutdown.Send);
                // The receiver closes its side once it read ours; a close with its answer unread would reset.
                _closedByPeer?.Wait(options.Timeout < ShutdownWait ? options.Timeout : ShutdownWait);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException or AggregateException)
        {
            // Already broken: nothing more to hand over.
        }

        Close();
    }
}
