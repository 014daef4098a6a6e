using System.Buffers;
using System.Net.Sockets;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.DogStatsD;

/// <summary>
/// Sends DogStatsD datagrams over UDP or a Unix datagram socket, one datagram per call. A socket error (no
/// listener on the Unix socket, ICMP port unreachable on UDP) is retried by the queue with the socket made anew.
/// Runs behind a <see cref="QueuedSink"/>.
/// </summary>
internal sealed class DogStatsDSink(DogStatsDOptions options) : IBatchSender<Batch>
{
    private readonly DogStatsDEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _datagram = new(options.MaxPacketSize);
    private Socket? _socket;

    public string Name { get; } = $"dogstatsd ({options.Address})";


    public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        _datagram.ResetWrittenCount();
        var points = batch.RemainingPoints.Span;
        var checks = batch.RemainingChecks.Span;
        int limit = batch.MaxItemsPerRequest;
        var (takenPoints, takenChecks) = _encoder.Write(points[..Math.Min(points.Length, limit)],
            checks[..Math.Min(checks.Length, Math.Max(0, limit - points.Length))], options.MaxPacketSize, _datagram, out int tooLarge);
        if (_datagram.WrittenCount == 0)
        {
            return new SendAttempt(DeliveryOutcome.Rejected($"{tooLarge} line(s) longer than max_packet_size ({options.MaxPacketSize} bytes)"), takenPoints, takenChecks);
        }

        try
        {
            _socket ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await _socket.SendAsync(_datagram.WrittenMemory, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return new SendAttempt(DeliveryOutcome.Sent, takenPoints, takenChecks);
        }
        catch (SocketException e)
        {
            _socket?.Dispose();
            _socket = null;
            return new SendAttempt(DeliveryOutcome.Retry($"{options.Address}: {e.Message}"), takenPoints, takenChecks);
        }
    }

    public void Dispose() => _socket?.Dispose();

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket;
        if (options.SocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return socket;
        }

        var addresses = await System.Net.Dns.GetHostAddressesAsync(options.Host!, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        socket = new Socket(addresses[0].AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await socket.ConnectAsync(addresses[0], options.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }
}
