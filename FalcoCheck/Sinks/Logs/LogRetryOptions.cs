namespace FalcoCheck.Sinks.Logs;

/// <summary>Backoff of the log sinks: exponential with jitter from <see cref="Delay"/> up to <see cref="MaxDelay"/>, for as long as it takes.</summary>
internal sealed record LogRetryOptions
{
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A server's <c>Retry-After</c> is honoured up to this, so a bad header cannot stall delivery for days.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);
}
