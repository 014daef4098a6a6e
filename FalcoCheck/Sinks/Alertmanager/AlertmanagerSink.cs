using System.Buffers;
using System.Net.Http.Headers;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Alertmanager;

/// <summary>
/// Alertmanager API v2: <c>POST &lt;url&gt;/api/v2/alerts</c> with a JSON array (<see cref="AlertmanagerEncoder"/>),
/// through the shared <see cref="SinkHttpClient"/> (auth, TLS, timeout, 413 as "split", retry classification).
/// Alertmanager answers 200 when it has the alerts, 400 with the reason when one is invalid.
/// </summary>
/// <remarks>
/// NOTE: on 400 Alertmanager has still stored the valid alerts of the request (api/v2 postAlertsHandler validates
/// each one); the queue counts the whole request as dropped and does not resend it, so nothing arrives twice. The
/// only invalid alert FalcoCheck can produce is one dated more than <c>resolve_timeout</c> ahead of Alertmanager's
/// clock without <c>expires_after</c> ("start time must be before end time").
/// </remarks>
internal sealed class AlertmanagerSink : IBatchSender<LogBatch>
{
    public const string AlertsPath = "api/v2/alerts";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly SinkHttpClient _http;
    private readonly AlertmanagerOptions _options;
    private readonly Uri _endpoint;

    public AlertmanagerSink(AlertmanagerOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _endpoint = SinkHttpClient.Below(options.Endpoint.Url, AlertsPath);
        string display = EndpointRedactor.Redact(_endpoint);

        // The queue in front retries; this client only sends, within the timeout.
        _http = new SinkHttpClient(options.Endpoint with { Url = _endpoint, DisplayName = display }, options.Timeout, clock ?? TimeProvider.System);
        Name = "alertmanager:" + display;
    }

    public string Name { get; }

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        int count = batch.Fitting(AlertmanagerEncoder.MaxEntries, AlertmanagerEncoder.MaxEntryBytes);
        if (count == 0)
        {
            return SendAttempt.Of(DeliveryOutcome.Rejected($"an alert is larger than the {AlertmanagerEncoder.MaxEntryBytes} byte request limit"), 1);
        }

        var body = new ArrayBufferWriter<byte>(count * 512);
        count = AlertmanagerEncoder.Encode(batch.RemainingEntries.Span[..count], _options, body);
        if (count == 0)
        {
            // Not an alert document (a spool edited by hand): parsed again only to say why.
            _ = AlertDocument.Parse(batch.RemainingEntries.Span[0], out string? error);
            return SendAttempt.Of(DeliveryOutcome.Rejected("a queued alert cannot be read: " + error), 1);
        }

        using var request = SinkHttpClient.Post(_options.Endpoint, body.WrittenMemory, Json, url: _endpoint);
        var (outcome, _) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return SendAttempt.Of(outcome, count);
    }

    public void Dispose() => _http.Dispose();
}
