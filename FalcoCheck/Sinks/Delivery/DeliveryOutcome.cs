namespace FalcoCheck.Sinks.Delivery;

/// <summary>The classified result of one request: what to do next and why.</summary>
/// <param name="Reason">For anything but <see cref="DeliveryStatus.Sent"/>: status code and the backend's words, secrets removed.</param>
/// <param name="RetryAfter">The wait the backend asked for (Retry-After, X-Ratelimit-Reset), when it did.</param>
internal readonly record struct DeliveryOutcome(DeliveryStatus Status, string? Reason = null, TimeSpan? RetryAfter = null)
{
    public static DeliveryOutcome Sent { get; } = new(DeliveryStatus.Sent);

    public static DeliveryOutcome Retry(string reason, TimeSpan? retryAfter = null) => new(DeliveryStatus.Retry, reason, retryAfter);

    public static DeliveryOutcome Rejected(string reason) => new(DeliveryStatus.Rejected, reason);

    public static DeliveryOutcome Split(string reason) => new(DeliveryStatus.Split, reason);
}
