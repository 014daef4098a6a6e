using System.Buffers;
using System.Net.Http.Headers;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Webhook;

/// <summary>
/// One <c>POST</c> per alert (chat webhooks take one message per request) of <see cref="WebhookEncoder"/>'s body,
/// through the shared <see cref="SinkHttpClient"/>. The URL is cut out of anything the server quotes back, and
/// only its scheme and host appear in the sink's name, logs and <c>status</c>.
/// </summary>
internal sealed class WebhookSink : IBatchSender<LogBatch>
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly SinkHttpClient _http;
    private readonly WebhookOptions _options;

    public WebhookSink(WebhookOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Uri url = options.Endpoint.Url;

        // The whole URL and its path and query are secrets: a server quoting the request back must not reveal them.
        Secret[] urlSecrets = [new(url.AbsoluteUri), new(url.PathAndQuery.Length > 1 ? url.PathAndQuery : url.AbsoluteUri)];
        _http = new SinkHttpClient(options.Endpoint, options.Timeout, clock ?? TimeProvider.System, urlSecrets);
        Name = "webhook:" + options.Endpoint.DisplayName;
    }

    public string Name { get; }

    public async Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        if (WebhookEncoder.Encode(batch.RemainingEntries.Span[0], _options.Format, body) is { } error)
        {
            return SendAttempt.Of(DeliveryOutcome.Rejected(error), 1);
        }

        using var request = SinkHttpClient.Post(_options.Endpoint, body.WrittenMemory, Json);
        var (outcome, _) = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return SendAttempt.Of(outcome, 1);
    }

    public void Dispose() => _http.Dispose();
}
