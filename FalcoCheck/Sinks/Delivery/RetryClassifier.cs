using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// Turns a backend's answer or a transport failure into <see cref="DeliveryOutcome"/>, the same way for every
/// sink. Retry 408, 429 and 5xx except 501 (Vector's <c>RetryLogic</c>); split on 413; reject everything else that
/// is not 2xx, since sending it again cannot change the answer. The OTLP sinks narrow this to their spec's
/// 429/502/503/504 (<see cref="ForOtlp"/>), remote write to 429 and 5xx (<see cref="ForRemoteWrite"/>).
/// </summary>
internal static class RetryClassifier
{
    /// <summary>Longest part of a response body quoted in a reason: enough for Datadog's <c>{"errors":[…]}</c>.</summary>
    private const int MaxQuotedBody = 200;

    /// <summary>Whether sending the same request again may succeed. The retry pipeline's predicate.</summary>
    public static bool IsRetryable(HttpStatusCode status) => (int)status switch
    {
        408 or 429 => true,
        501 => false,
        >= 500 and <= 599 => true,
        _ => false,
    };

    /// <summary>Whether this exception is a transport failure worth another try (refused, reset, timed out).</summary>
    public static bool IsRetryable(Exception exception) => Classify(exception).Status == DeliveryStatus.Retry;

    public static DeliveryOutcome Classify(HttpStatusCode status, HttpResponseHeaders headers, DateTimeOffset now, string? body)
    {
        int code = (int)status;
        if (code is >= 200 and <= 299)
        {
            return DeliveryOutcome.Sent;
        }

        string reason = Describe(status, body);
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            return DeliveryOutcome.Split(reason);
        }

        return (IsRetryable(status) ? DeliveryOutcome.Retry(reason, RetryAfter(headers, now)) : DeliveryOutcome.Rejected(reason)) with { HttpStatus = code };
    }

    /// <summary>
    /// OTLP/HTTP's rule (https://opentelemetry.io/docs/specs/otlp/#failures-1): only 429, 502, 503 and 504 are
    /// retryable; any other 4xx or 5xx "MUST NOT be retried". A collector that answers 500 to one batch would
    /// otherwise hold every later batch behind it for good.
    /// </summary>
    public static bool IsRetryableForOtlp(HttpStatusCode status) => (int)status is 429 or 502 or 503 or 504;

    /// <summary>
    /// <paramref name="outcome"/> under OTLP's rule: an answer the shared rule retries but OTLP does not (408, 500,
    /// 505…) is rejected, its items dropped and counted. Transport failures and 413 (split, not sent again) are kept.
    /// </summary>
    public static DeliveryOutcome ForOtlp(DeliveryOutcome outcome) =>
        Narrow(outcome, code => IsRetryableForOtlp((HttpStatusCode)code), "OTLP/HTTP");

    /// <summary>
    /// Prometheus Remote-Write 1.0: senders "MUST NOT retry write requests on HTTP 2xx and 4xx responses other than
    /// 429", so a 408 is rejected (501 stays rejected too: the receiver does not implement the call).
    /// </summary>
    public static DeliveryOutcome ForRemoteWrite(DeliveryOutcome outcome) => Narrow(outcome, code => code is 429 or >= 500, "Prometheus Remote-Write 1.0");

    /// <summary>A retry the shared rule gives but <paramref name="spec"/> forbids becomes a rejection, its items dropped and counted.</summary>
    private static DeliveryOutcome Narrow(DeliveryOutcome outcome, Func<int, bool> retryable, string spec) =>
        outcome is { Status: DeliveryStatus.Retry, HttpStatus: { } code } && !retryable(code)
            ? DeliveryOutcome.Rejected($"{outcome.Reason} (not retryable under {spec})") with { HttpStatus = code }
            : outcome;

    public static DeliveryOutcome Classify(Exception exception) => exception switch
    {
        // A TLS failure is configuration (CA, name, client certificate): another try gives the same answer.
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } or AuthenticationException
            => DeliveryOutcome.Rejected("TLS handshake failed: " + exception.Message),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => DeliveryOutcome.Retry("name resolution failed: " + exception.Message),
        HttpRequestException or SocketException or IOException => DeliveryOutcome.Retry("connection failed: " + exception.Message),
        TimeoutRejectedException or TimeoutException or TaskCanceledException => DeliveryOutcome.Retry("timed out"),
        _ => DeliveryOutcome.Rejected($"{exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>
    /// The wait the backend asked for: <c>Retry-After</c> (seconds or an HTTP date, RFC 9110 section 10.2.3), else
    /// Datadog's <c>X-Ratelimit-Reset</c> (seconds until the rate-limit window resets).
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        if (headers.TryGetValues("X-Ratelimit-Reset", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    private static string Describe(HttpStatusCode status, string? body)
    {
        string text = $"HTTP {(int)status} {status}";
        if (string.IsNullOrWhiteSpace(body))
        {
            return text;
        }

        string trimmed = body.Trim().ReplaceLineEndings(" ");
        return text + ": " + (trimmed.Length <= MaxQuotedBody ? trimmed : trimmed[..MaxQuotedBody] + "…");
    }
}
