using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.Otlp.Protocol;
using Google.Protobuf;

namespace FalcoCheck.Sinks.OtlpLogs;

/// <summary>
/// OTLP/HTTP logs with binary protobuf (https://opentelemetry.io/docs/specs/otlp/#otlphttp): <c>POST</c> an
/// ExportLogsServiceRequest (<see cref="OtlpLogsEncoder"/>) to the logs URL, through the metrics sinks'
/// <see cref="SinkHttpClient"/>. Records the receiver reports as rejected in a partial success are dropped, not
/// retried (OTLP spec, "Partial Success"), and only 429, 502, 503 and 504 are retried (<see cref="RetryRule.Otlp"/>),
/// as the metrics OTLP sink does.
/// </summary>
internal sealed class OtlpLogsSink : IBatchSender<LogBatch>
{
    private const int MaxEntries = 1000;
    private const long MaxBytes = 3L * 1024 * 1024;

    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private readonly OtlpLogsOptions _options;
    private readonly TimeProvider _clock;
    private readonly SinkHttpClient _http;
    private readonly PayloadCompressor _compressor;
    private readonly ArrayBufferWriter<byte> _raw = new(64 * 1024);

    public OtlpLogsSink(OtlpLogsOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        // The queue in front retries; this client only sends, within the timeout.
        _http = new SinkHttpClient(options.Endpoint, options.Timeout, clock, retryRule: RetryRule.Otlp);
        _compressor = new PayloadCompressor(options.Compression);
        Name = "otlp_logs:" + options.Endpoint.DisplayName;
    }

    public string Name { get; }

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        int fitting = Math.Max(1, batch.Fitting(MaxEntries, MaxBytes));
        _raw.ResetWrittenCount();
        long observed = (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        int count = OtlpLogsEncoder.Encode(batch.RemainingEntries.Span[..fitting], _options, observed, _raw, out string? error);
        if (count == 0)
        {
            return SendAttempt.Of(DeliveryOutcome.Rejected(error ?? "nothing to send"), 1);
        }

        ReadOnlyMemory<byte> body = _compressor.Compress(_raw.WrittenMemory);
        using var request = SinkHttpClient.Post(_options.Endpoint, body, Protobuf, _compressor.ContentEncoding());
        var (outcome, response) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == DeliveryStatus.Sent && PartialRejection(response) is { } rejection)
        {
            return SendAttempt.Of(DeliveryOutcome.Rejected(string.Create(CultureInfo.InvariantCulture,
                $"the receiver rejected {rejection.RejectedLogRecords} of {count} alert(s): {rejection.ErrorMessage}")), count);
        }

        return SendAttempt.Of(outcome, count);
    }

    public void Dispose()
    {
        _http.Dispose();
        _compressor.Dispose();
    }

    private static ExportLogsPartialSuccess? PartialRejection(byte[] response) =>
        OtlpResponse.Parse(response, ExportLogsServiceResponse.Parser)?.PartialSuccess is { RejectedLogRecords: > 0 } partial ? partial : null;
}
