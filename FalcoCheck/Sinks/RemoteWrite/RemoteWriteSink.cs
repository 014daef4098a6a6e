using System.Buffers;
using System.Net.Http.Headers;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.RemoteWrite;

/// <summary>
/// Prometheus Remote Write 1.0 sender (https://prometheus.io/docs/specs/remote_write_spec/): protobuf body,
/// snappy block compression and the spec's headers. Runs behind a <see cref="QueuedSink"/>.
/// </summary>
internal sealed class RemoteWriteSink : IBatchSender<Batch>
{
    /// <summary>Remote write 1.0 "Protocol": the version header value senders must send.</summary>
    public const string ProtocolVersion = "0.1.0";

    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private readonly RemoteWriteOptions _options;
    private readonly SinkHttpClient _http;
    private readonly PayloadCompressor _snappy = new(Compression.Snappy);
    private readonly ArrayBufferWriter<byte> _raw = new(64 * 1024);

    public RemoteWriteSink(RemoteWriteOptions options, TimeProvider clock)
    {
        _options = options;
        _http = new SinkHttpClient(options.Endpoint, options.Delivery.Timeout, clock, retryRule: RetryRule.RemoteWrite);
        Name = $"prometheus_remote_write ({options.Endpoint.DisplayName})";
    }

    public string Name { get; }


    public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        var points = batch.RemainingPoints;
        if (points.Length == 0)
        {
            // Service checks have no remote write form: taken, not sent (documented).
            return new SendAttempt(DeliveryOutcome.Sent, 0, batch.RemainingChecks.Length);
        }

        _raw.ResetWrittenCount();
        int taken = RemoteWriteEncoder.Write(points.Span[..Math.Min(points.Length, batch.MaxItemsPerRequest)], _raw);
        var body = _snappy.Compress(_raw.WrittenMemory);
        using var request = SinkHttpClient.Post(_options.Endpoint, body, Protobuf, "snappy");
        request.Headers.TryAddWithoutValidation("X-Prometheus-Remote-Write-Version", ProtocolVersion);
        var (outcome, _) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return new SendAttempt(outcome, taken, 0);
    }

    public void Dispose()
    {
        _http.Dispose();
        _snappy.Dispose();
    }
}
