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
/// is not 2xx, since sending it again cannot change the answer. A sink whose protocol says less is retryable passes
/// its <see cref="RetryRule"/> (OTLP: 429/502/503/504; remote write: 429 and 5xx).
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

    public static DeliveryOutcome Classify(HttpStatusCode status, HttpResponseHeaders headers, DateTimeOffset now, string? body, RetryRule? rule = null)
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

        if (!IsRetryable(status))
        {
            return DeliveryOutcome.Rejected(reason);
        }

        return rule is null || rule.Retryable(code)
            ? DeliveryOutcome.Retry(reason, RetryAfter(headers, now))
            : DeliveryOutcome.Rejected($"{reason} (not retryable under {rule.Spec})");
    }

    /// <summary>Whether OTLP/HTTP allows sending this answer's request again (<see cref="RetryRule.Otlp"/>).</summary>
    public static bool IsRetryableForOtlp(HttpStatusCode status) => RetryRule.Otlp.Retryable((int)status);

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
