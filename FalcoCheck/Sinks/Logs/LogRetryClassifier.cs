using System.Net;
using System.Net.Http.Headers;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// HTTP response or failure ─► <see cref="LogSendResult"/>, the metrics sinks' rule (CONVENTIONS 11): retry 408,
/// 429 and 5xx except 501, and network failures; honour <c>Retry-After</c>; anything else is refused for good.
/// </summary>
internal static class LogRetryClassifier
{
    private const int MaxReasonBody = 200;

    public static async Task<LogSendResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return LogSendResult.Sent;
        }

        string reason = $"HTTP {status} {response.ReasonPhrase}";
        try
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                reason += ": " + (body.Length > MaxReasonBody ? body[..MaxReasonBody] + "…" : body);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The status says enough.
        }

        return IsRetryable(response.StatusCode)
            ? LogSendResult.Retry(reason, RetryAfter(response.Headers.RetryAfter, DateTimeOffset.UtcNow))
            : LogSendResult.Drop(reason);
    }

    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);

    /// <summary>The server's wait, from delta seconds or a date (RFC 9110 section 10.2.3); null when absent or past.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > now => date - now,
        _ => null,
    };
}
