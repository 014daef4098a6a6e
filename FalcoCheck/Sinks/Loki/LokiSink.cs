using System.Buffers;
using System.Net.Http.Headers;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Loki;

/// <summary>
/// Loki's push API: <c>POST &lt;url&gt;/loki/api/v1/push</c>, a <see cref="LokiEncoder"/> body (protobuf compressed
/// with snappy's block format, as Promtail sends it, or JSON), <c>X-Scope-OrgID</c> for the tenant, through the
/// metrics sinks' <see cref="SinkHttpClient"/> (auth, TLS, timeout, <c>Retry-After</c>, 413 read as "split"). Loki
/// answers 204 when it has the entries.
/// </summary>
internal sealed class LokiSink : IBatchSender<LogBatch>
{
    /// <summary>Entries and bytes of lines per request: well under Loki's default 4 MiB gRPC message limit.</summary>
    private const int MaxEntries = 1000;
    private const long MaxBytes = 3L * 1024 * 1024;

    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly LokiOptions _options;
    private readonly SinkHttpClient _http;
    private readonly PayloadCompressor _snappy = new(Compression.Snappy);
    private readonly ArrayBufferWriter<byte> _raw = new(64 * 1024);

    public LokiSink(LokiOptions options, TimeProvider clock)
    {
        _options = options;
        // The queue in front retries; this client only sends, within the timeout.
        _http = new SinkHttpClient(options.Endpoint, options.Timeout, clock);
        Name = "loki:" + options.Endpoint.DisplayName;
    }

    public string Name { get; }

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        int fitting = Math.Max(1, batch.Fitting(MaxEntries, MaxBytes));
        _raw.ResetWrittenCount();
        int count = LokiEncoder.Encode(batch.RemainingEntries.Span[..fitting], _options, _raw, out string? error);
        if (count == 0)
        {
            return SendAttempt.Of(DeliveryOutcome.Rejected(error ?? "nothing to send"), 1);
        }

        ReadOnlyMemory<byte> body = _options.Encoding == LokiEncoding.Protobuf ? _snappy.Compress(_raw.WrittenMemory) : _raw.WrittenMemory;
        using var request = SinkHttpClient.Post(_options.Endpoint, body, _options.Encoding == LokiEncoding.Protobuf ? Protobuf : Json);
        if (_options.Tenant is { } tenant)
        {
            request.Headers.TryAddWithoutValidation("X-Scope-OrgID", tenant);
        }

        var (outcome, _) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return SendAttempt.Of(outcome, count);
    }

    public void Dispose()
    {
        _http.Dispose();
        _snappy.Dispose();
    }
}
