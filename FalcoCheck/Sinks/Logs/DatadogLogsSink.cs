using System.Net.Http.Headers;
using FalcoCheck.Configuration;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// Datadog logs intake v2: <c>POST &lt;url&gt;/api/v2/logs</c>, <c>DD-API-KEY</c>, a gzip JSON array
/// (<see cref="DatadogLogsEncoder"/>). The intake answers 202 when it has the logs. The key is only put on the wire.
/// </summary>
internal sealed class DatadogLogsSink : ILogSink
{
    public const string IntakePath = "api/v2/logs";

    private readonly HttpClient _client;
    private readonly Uri _endpoint;
    private readonly Secret _apiKey;
    private readonly TimeSpan _timeout;

    public DatadogLogsSink(DatadogLogsSinkConfig config, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _apiKey = config.ApiKey;
        _timeout = config.Timeout;
        _endpoint = new Uri(config.Url.AbsoluteUri.EndsWith('/') ? config.Url : new Uri(config.Url.AbsoluteUri + "/"), IntakePath);

        // Our own handler (no HttpClientFactory in a CLI): connections are recycled so a DNS change of the intake
        // is followed, and the per-request timeout below is the only timeout.
        _client = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = config.Timeout,
        }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Name = "datadog_logs:" + EndpointRedactor.Redact(_endpoint);
    }

    public string Name { get; }

    public int MaxBatchEntries => DatadogLogsEncoder.MaxEntries;

    public long MaxBatchBytes => DatadogLogsEncoder.MaxEntryBytes;

    public async Task<LogSendResult> SendAsync(IReadOnlyList<byte[]> entries, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        DatadogLogsEncoder.Encode(entries, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.TryAddWithoutValidation("DD-API-KEY", _apiKey.Reveal());
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("falcocheck", "1.0"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return await LogRetryClassifier.ClassifyAsync(response, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return LogSendResult.Retry($"no answer within {_timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            // The message names the host and the socket error; it never holds the key (a header).
            return LogSendResult.Retry(e.Message);
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
