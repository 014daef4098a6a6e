using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FalcoCheck.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Polly;

using FalcoCheck.Scraping;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// The HTTP side of every HTTP sink, metrics and logs: one <see cref="HttpClient"/> whose handler chain is
/// Microsoft.Extensions.Http.Resilience's <see cref="ResilienceHandler"/> (a timeout per attempt) over a
/// <see cref="SocketsHttpHandler"/> (TLS, client certificate, the agent's or the environment's proxy), with FalcoCheck's user agent.
/// <see cref="RetryClassifier"/> says what the answer means (sent, retry with its Retry-After, split on 413,
/// rejected); the <see cref="DeliveryQueue{TBatch}"/> acts on it. Never throws for a failed request.
/// </summary>
internal sealed class SinkHttpClient : IDisposable
{
    /// <summary>Largest response body read: error messages and OTLP's partial-success answer are small.</summary>
    private const int MaxResponseBytes = 64 * 1024;

    private static readonly ProductInfoHeaderValue UserAgent = new("falcocheck", ThisAssembly.Version);

    private readonly HttpClient _client;
    private readonly TimeProvider _clock;
    private readonly string[] _secrets;
    private readonly RetryRule? _retryRule;

    /// <param name="retryRule">The protocol's own retryable answers, when narrower than the shared rule (OTLP, remote write).</param>
    public SinkHttpClient(HttpEndpointOptions endpoint, TimeSpan timeout, TimeProvider clock, IEnumerable<Secret>? moreSecrets = null, RetryRule? retryRule = null)
    {
        _clock = clock;
        _retryRule = retryRule;
        _secrets = [.. endpoint.Secrets().Concat(moreSecrets ?? []).Select(s => s.Reveal()).Where(s => s.Length > 0)];
        var pipeline = BuildPipeline(timeout, clock);
        var handler = new ResilienceHandler(pipeline) { InnerHandler = CreateSocketsHandler(endpoint, timeout) };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

        // Every sink says who sends, with the version a backend's operator can match to a release.
        _client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
    }

    /// <summary>Sends one request and classifies the answer (the queue decides whether to send it again).</summary>
    /// <returns>The outcome, and the response body when the backend took the payload (capped at 64 KiB).</returns>
    public async Task<(DeliveryOutcome Outcome, byte[] Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            byte[] body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            string? text = response.IsSuccessStatusCode ? null : Redact(Encoding.UTF8.GetString(body));
            var outcome = RetryClassifier.Classify(response.StatusCode, response.Headers, _clock.GetUtcNow(), text, _retryRule);
            return (outcome, outcome.Status == DeliveryStatus.Sent ? body : []);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (DeliveryOutcome.Retry("cancelled (shutting down)"), []);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            var outcome = RetryClassifier.Classify(e);
            return (outcome with { Reason = Redact(outcome.Reason ?? string.Empty) }, []);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Cuts every secret of this sink out of text that came from elsewhere (a server's error body).</summary>
    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Secret.Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// Only the timeout of one attempt: retrying is the queue's (<see cref="DeliveryQueue{TBatch}"/>), one layer for
    /// every sink, so a failure is never retried twice over.
    /// </summary>
    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(TimeSpan timeout, TimeProvider clock) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }.AddTimeout(timeout).Build();

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxResponseBytes];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer[..total];
        }
    }

    private static SocketsHttpHandler CreateSocketsHandler(HttpEndpointOptions endpoint, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };

        handler.SslOptions = ClientTls.Create(endpoint.TlsVerify, endpoint.TlsCaCert, endpoint.TlsCert, endpoint.TlsPrivateKey);
        OutboundProxy.Apply(handler, endpoint.Proxy, endpoint.Url);
        return handler;
    }

    /// <summary>
    /// An API path below the base URL a user wrote (<c>http://vm:8428/datadog</c> + <c>api/v2/series</c>): the one join
    /// every HTTP sink uses. Exactly one slash between the two, whether or not the base ends with one; the base's query
    /// (<c>?extra_label=env=prod</c>, a tenant, a key) kept, on the result, since the backend reads it on every request;
    /// the base's percent-encoding kept as written (an encoded slash stays one); a fragment, never sent, dropped.
    /// </summary>
    public static Uri Below(Uri url, string path)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(path);
        string prefix = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(prefix + "/" + path.TrimStart('/') + url.Query);
    }

    /// <summary>
    /// The POST every HTTP sink sends: the body (read while the request is sent, so a reused buffer is fine), its
    /// type and encoding, and the endpoint's authentication and headers. The sink adds its own protocol headers.
    /// </summary>
    public static HttpRequestMessage Post(HttpEndpointOptions endpoint, ReadOnlyMemory<byte> body, MediaTypeHeaderValue contentType,
        string? contentEncoding = null, Uri? url = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url ?? endpoint.Url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = contentType;
        if (contentEncoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(contentEncoding);
        }

        Authenticate(request, endpoint);
        return request;
    }

    /// <summary>Adds the endpoint's authentication and headers to a request.</summary>
    public static void Authenticate(HttpRequestMessage request, HttpEndpointOptions endpoint)
    {
        if (endpoint.Username is { } user && endpoint.Password is { } password)
        {
            string token = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password.Reveal()));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
        else if (endpoint.BearerToken is { } bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Reveal());
        }

        foreach (var (name, value) in endpoint.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value.Reveal());
        }
    }
}
