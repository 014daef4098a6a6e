namespace FalcoCheck.Counters;

/// <summary>Bounds on counter state, so a series explosion cannot grow memory without limit.</summary>
internal sealed record CounterStateOptions
{
    /// <summary>Default cap on distinct counters kept per instance.</summary>
    public const int DefaultMaxContexts = 100_000;

    /// <summary>A counter not seen for this long is forgotten (its next sighting sets a new baseline).</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromHours(1);

    public int MaxContexts { get; init; } = DefaultMaxContexts;
}
