using System.Buffers;
using System.Net.Http.Headers;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>
/// Sends series to Datadog's metrics intake (v2, or v1 for the legacy format) and service checks to
/// <c>/api/v1/check_run</c>, with the API key in <c>DD-API-KEY</c>. Runs behind a <see cref="QueuedSink"/>.
/// </summary>
internal sealed class DatadogSink : IBatchSender<Batch>
{
    public const string SeriesV2Path = "api/v2/series";

    public const string SeriesV1Path = "api/v1/series";

    public const string CheckRunPath = "api/v1/check_run";

    public const string EventsPath = "api/v1/events";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly DatadogOptions _options;
    private readonly SinkHttpClient _http;
    private readonly DatadogSeriesEncoder _series;
    private readonly DatadogCheckRunEncoder _checks = new();
    private readonly PayloadCompressor _compressor;
    private readonly ArrayBufferWriter<byte> _raw = new(64 * 1024);
    private readonly Uri _seriesUrl;
    private readonly Uri _checkRunUrl;
    private readonly Uri _eventsUrl;

    public DatadogSink(DatadogOptions options, TimeProvider clock)
    {
        _options = options;
        _series = new DatadogSeriesEncoder(options.ApiVersion);
        _compressor = new PayloadCompressor(options.Compression);
        _http = new SinkHttpClient(options.Endpoint, options.Delivery.Timeout, clock, options.ApiKey is null ? null : [options.ApiKey]);
        _seriesUrl = SinkHttpClient.Below(options.Endpoint.Url, options.ApiVersion == DatadogApiVersion.V2 ? SeriesV2Path : SeriesV1Path);
        _checkRunUrl = SinkHttpClient.Below(options.Endpoint.Url, CheckRunPath);
        _eventsUrl = SinkHttpClient.Below(options.Endpoint.Url, EventsPath);
        Name = $"datadog ({options.Endpoint.DisplayName.TrimEnd('/')}, {(options.ApiVersion == DatadogApiVersion.V2 ? "v2" : "v1")})";
    }

    public string Name { get; }


    public bool SendsEvents => true;

    public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        if (batch.RemainingPoints.Length > 0)
        {
            return await SendSeriesAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        if (batch.RemainingChecks.Length == 0)
        {
            return await SendEventAsync(batch.RemainingEvents.Span[0], cancellationToken).ConfigureAwait(false);
        }

        if (!_options.SendServiceChecks)
        {
            // Not wanted: counted as taken, since the user chose not to send them.
            return new SendAttempt(DeliveryOutcome.Sent, 0, batch.RemainingChecks.Length);
        }

        _raw.ResetWrittenCount();
        var checks = batch.RemainingChecks;
        int taken = _checks.Write(checks.Span[..Math.Min(checks.Length, batch.MaxItemsPerRequest)], batch.FalcoVersion, _raw);
        if (taken == 0)
        {
            return new SendAttempt(DeliveryOutcome.Rejected("a service check is larger than the check_run limit"), 0, 1);
        }

        var outcome = await PostAsync(_checkRunUrl, _raw.WrittenMemory, contentEncoding: null, cancellationToken).ConfigureAwait(false);
        return new SendAttempt(outcome, 0, taken);
    }

    /// <summary>One event per request: Datadog's events API (<c>POST /api/v1/events</c>) takes them one at a time.</summary>
    private async Task<SendAttempt> SendEventAsync(FalcoEvent falcoEvent, CancellationToken cancellationToken)
    {
        _raw.ResetWrittenCount();
        DatadogEventEncoder.Write(falcoEvent, _raw);
        var outcome = await PostAsync(_eventsUrl, _raw.WrittenMemory, contentEncoding: null, cancellationToken).ConfigureAwait(false);
        return new SendAttempt(outcome, 0, 0) { Events = 1 };
    }

    public void Dispose()
    {
        _http.Dispose();
        _series.Dispose();
        _checks.Dispose();
        _compressor.Dispose();
    }

    private async Task<SendAttempt> SendSeriesAsync(Batch batch, CancellationToken cancellationToken)
    {
        var limits = _series.Limits;
        int wanted = Math.Min(batch.RemainingPoints.Length, batch.MaxItemsPerRequest);
        while (true)
        {
            _raw.ResetWrittenCount();
            int taken = _series.Write(batch.RemainingPoints.Span[..wanted], _raw, limits.MaxRawBytes);
            if (taken == 0)
            {
                return new SendAttempt(DeliveryOutcome.Rejected($"a series is larger than the intake's {limits.MaxRawBytes} byte limit"), 1, 0);
            }

            var body = _compressor.Compress(_raw.WrittenMemory);
            if (body.Length > limits.MaxCompressedBytes && taken > 1)
            {
                // Over the compressed limit: the same series in smaller requests (split, never drop).
                wanted = taken / 2;
                continue;
            }

            var outcome = await PostAsync(_seriesUrl, body, _compressor.ContentEncoding("zstd1"), cancellationToken).ConfigureAwait(false);
            return new SendAttempt(outcome, taken, 0);
        }
    }

    private async Task<DeliveryOutcome> PostAsync(Uri url, ReadOnlyMemory<byte> body, string? contentEncoding, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.ContentType = Json;
        if (contentEncoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(contentEncoding);
        }

        if (_options.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation("DD-API-KEY", key.Reveal());
        }

        SinkHttpClient.Authenticate(request, _options.Endpoint);
        var (outcome, _) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return outcome;
    }
}
