namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A protocol's own list of retryable HTTP answers, narrower than <see cref="RetryClassifier"/>'s shared one: an answer
/// the shared rule would send again but <see cref="Retryable"/> refuses is rejected (dropped, counted) instead.
/// </summary>
/// <param name="Spec">Named in the reason of such a rejection.</param>
internal sealed record RetryRule(Func<int, bool> Retryable, string Spec)
{
    /// <summary>
    /// OTLP/HTTP's rule (https://opentelemetry.io/docs/specs/otlp/#failures-1): only 429, 502, 503 and 504 are
    /// retryable; any other 4xx or 5xx "MUST NOT be retried". A collector that answers 500 to one batch would
    /// otherwise hold every later batch behind it for good.
    /// </summary>
    public static RetryRule Otlp { get; } = new(status => status is 429 or 502 or 503 or 504, "OTLP/HTTP");

    /// <summary>
    /// Prometheus Remote-Write 1.0: senders "MUST NOT retry write requests on HTTP 2xx and 4xx responses other than
    /// 429", so a 408 is rejected (501 stays rejected too: the receiver does not implement the call).
    /// </summary>
    public static RetryRule RemoteWrite { get; } = new(status => status is 429 or >= 500, "Prometheus Remote-Write 1.0");
}
