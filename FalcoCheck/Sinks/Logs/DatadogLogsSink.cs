using System.Net.Http.Headers;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// Datadog logs intake v2: <c>POST &lt;url&gt;/api/v2/logs</c>, <c>DD-API-KEY</c>, a gzip JSON array
/// (<see cref="DatadogLogsEncoder"/>), through the metrics sinks' <see cref="SinkHttpClient"/> (TLS, timeout,
/// <c>Retry-After</c>, 413 read as "split", user agent). The intake answers 202 when it has the logs. The key is
/// only put on the wire, and cut out of anything the intake quotes back.
/// </summary>
internal sealed class DatadogLogsSink : IBatchSender<LogBatch>
{
    public const string IntakePath = "api/v2/logs";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly SinkHttpClient _http;
    private readonly HttpEndpointOptions _endpointOptions;
    private readonly Secret _apiKey;

    public DatadogLogsSink(DatadogLogsOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _apiKey = options.ApiKey;
        Uri url = SinkHttpClient.Below(options.Url, IntakePath);
        string display = EndpointRedactor.Redact(url);
        _endpointOptions = new HttpEndpointOptions { Url = url, DisplayName = display, Proxy = options.Proxy };

        // The queue in front retries; this client only sends, within the timeout.
        _http = new SinkHttpClient(_endpointOptions, options.Timeout, clock ?? TimeProvider.System, [_apiKey]);
        Name = "datadog_logs:" + display;
    }

    public string Name { get; }

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        int count = batch.Fitting(DatadogLogsEncoder.MaxEntries, DatadogLogsEncoder.MaxEntryBytes);
        if (count == 0)
        {
            return SendAttempt.Of(DeliveryOutcome.Rejected($"an alert is larger than the intake's {DatadogLogsEncoder.MaxPayloadBytes} byte limit"), 1);
        }

        using var body = new MemoryStream();
        DatadogLogsEncoder.Encode(batch.RemainingEntries.Span[..count], body);
        using var request = SinkHttpClient.Post(_endpointOptions, body.GetBuffer().AsMemory(0, (int)body.Length), Json, "gzip");
        request.Headers.TryAddWithoutValidation("DD-API-KEY", _apiKey.Reveal());
        var (outcome, _) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return SendAttempt.Of(outcome, count);
    }

    public void Dispose() => _http.Dispose();
}
