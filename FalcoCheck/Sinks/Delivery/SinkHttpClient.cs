using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FalcoCheck.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Polly;

using FalcoCheck.Scraping;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// The HTTP side of a sink: one <see cref="HttpClient"/> whose handler chain is Microsoft.Extensions.Http.Resilience's
/// <see cref="ResilienceHandler"/> (retries with exponential backoff and jitter, Retry-After honoured, a timeout per
/// attempt) over a <see cref="SocketsHttpHandler"/> (TLS, client certificate). <see cref="RetryClassifier"/> decides
/// what is retried and what the final answer means. Never throws for a failed request; returns the outcome.
/// </summary>
internal sealed class SinkHttpClient : IDisposable
{
    /// <summary>Largest response body read: error messages and OTLP's partial-success answer are small.</summary>
    private const int MaxResponseBytes = 64 * 1024;

    private static readonly ProductInfoHeaderValue UserAgent = new("falcocheck", ThisAssembly.Version);

    private readonly HttpClient _client;
    private readonly TimeProvider _clock;
    private readonly string[] _secrets;
    private long _retries;

    public SinkHttpClient(HttpEndpointOptions endpoint, DeliveryOptions delivery, TimeProvider clock, IEnumerable<Secret>? moreSecrets = null)
    {
        _clock = clock;
        _secrets = [.. endpoint.Secrets().Concat(moreSecrets ?? []).Select(s => s.Reveal()).Where(s => s.Length > 0)];
        var pipeline = BuildPipeline(delivery, clock);
        var handler = new ResilienceHandler(pipeline) { InnerHandler = CreateSocketsHandler(endpoint, delivery) };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

        // Every sink says who sends, with the version a backend's operator can match to a release.
        _client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
    }

    /// <summary>Requests sent again by the retry pipeline since this client was made.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Sends one request (retrying transient failures) and classifies the final answer.</summary>
    /// <returns>The outcome, and the response body when the backend took the payload (capped at 64 KiB).</returns>
    public async Task<(DeliveryOutcome Outcome, byte[] Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            byte[] body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            string? text = response.IsSuccessStatusCode ? null : Redact(Encoding.UTF8.GetString(body));
            var outcome = RetryClassifier.Classify(response.StatusCode, response.Headers, _clock.GetUtcNow(), text);
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

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(DeliveryOptions delivery, TimeProvider clock)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock };
        if (delivery.MaxRetries > 0)
        {
            var maxWait = delivery.RetryMaxBackoff;
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = delivery.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = delivery.RetryInitialBackoff,
                MaxDelay = delivery.RetryMaxBackoff,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, maxWait)),
                // Retry-After wins over the computed backoff, with the initial backoff as its floor.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response
                    && RetryClassifier.RetryAfter(response.Headers, clock.GetUtcNow()) is { } wait
                        ? (TimeSpan?)(wait < delivery.RetryInitialBackoff ? delivery.RetryInitialBackoff : wait)
                        : null),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(delivery.Timeout);
        return builder.Build();
    }

    /// <summary>
    /// Transient answers are retried here; a Retry-After longer than the longest backoff ends the round instead, and
    /// the queue honours it before the next one (never a blocking wait, never past what the user allowed).
    /// </summary>
    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxWait)
    {
        if (outcome.Exception is { } exception)
        {
            // A plain cancellation is ours (shutdown); Polly's per-attempt timeout arrives as TimeoutRejectedException.
            return exception is not OperationCanceledException && RetryClassifier.IsRetryable(exception);
        }

        var response = outcome.Result!;
        return RetryClassifier.IsRetryable(response.StatusCode)
            && !(RetryClassifier.RetryAfter(response.Headers, _clock.GetUtcNow()) > maxWait);
    }

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

    private static SocketsHttpHandler CreateSocketsHandler(HttpEndpointOptions endpoint, DeliveryOptions delivery)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = delivery.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };

        handler.SslOptions = ClientTls.Create(endpoint.TlsVerify, endpoint.TlsCaCert, endpoint.TlsCert, endpoint.TlsPrivateKey);
        return handler;
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
