using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Otlp.Protocol;
using Google.Protobuf;

namespace FalcoCheck.Sinks.Otlp;

/// <summary>
/// OTLP/HTTP with binary protobuf (https://opentelemetry.io/docs/specs/otlp/#otlphttp): <c>POST</c> an
/// ExportMetricsServiceRequest to the metrics URL. Points the server reports as rejected in a partial success are
/// counted as dropped, not retried (OTLP spec, "Partial Success"); only 429, 502, 503 and 504 are retried
/// (<see cref="RetryRule.Otlp"/>). Runs behind a <see cref="QueuedSink"/>.
/// </summary>
internal sealed class OtlpSink : IBatchSender<Batch>
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private readonly OtlpOptions _options;
    private readonly SinkHttpClient _http;
    private readonly PayloadCompressor _compressor;
    private readonly ArrayBufferWriter<byte> _raw = new(64 * 1024);

    public OtlpSink(OtlpOptions options, TimeProvider clock)
    {
        _options = options;
        _http = new SinkHttpClient(options.Endpoint, options.Delivery.Timeout, clock, retryRule: RetryRule.Otlp);
        _compressor = new PayloadCompressor(options.Compression);
        Name = $"otlp ({options.Endpoint.DisplayName})";
    }

    public string Name { get; }


    /// <summary>Data points the receiver rejected in partial-success answers.</summary>
    public long Rejected { get; private set; }

    public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        var points = batch.RemainingPoints;
        if (points.Length == 0)
        {
            // Service checks have no OTLP metrics form: taken, not sent (documented).
            return new SendAttempt(DeliveryOutcome.Sent, 0, batch.RemainingChecks.Length);
        }

        _raw.ResetWrittenCount();
        int taken = OtlpEncoder.Write(points.Span[..Math.Min(points.Length, batch.MaxItemsPerRequest)], batch.FalcoVersion, _options, _raw);
        var body = _compressor.Compress(_raw.WrittenMemory);
        using var request = SinkHttpClient.Post(_options.Endpoint, body, Protobuf, _compressor.ContentEncoding());
        var (outcome, response) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == DeliveryStatus.Sent && PartialRejection(response) is { } rejection)
        {
            Rejected += rejection.RejectedDataPoints;
            return new SendAttempt(DeliveryOutcome.Rejected(string.Create(CultureInfo.InvariantCulture,
                $"the receiver rejected {rejection.RejectedDataPoints} of {taken} point(s): {rejection.ErrorMessage}")), taken, 0);
        }

        return new SendAttempt(outcome, taken, 0);
    }

    public void Dispose()
    {
        _http.Dispose();
        _compressor.Dispose();
    }

    private static ExportMetricsPartialSuccess? PartialRejection(byte[] response) =>
        OtlpResponse.Parse(response, ExportMetricsServiceResponse.Parser)?.PartialSuccess is { RejectedDataPoints: > 0 } partial ? partial : null;
}
