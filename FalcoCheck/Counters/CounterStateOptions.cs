namespace FalcoCheck.Counters;

/// <summary>Bounds on counter state, so a series explosion cannot grow memory without limit.</summary>
internal sealed record CounterStateOptions
{
    /// <summary>Default cap on distinct counters kept per instance.</summary>
    public const int DefaultMaxContexts = 100_000;

    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>A counter not seen for this long is forgotten (its next sighting sets a new baseline).</summary>
    public TimeSpan Ttl { get; init; } = DefaultTtl;

    public int MaxContexts { get; init; } = DefaultMaxContexts;

    /// <summary>
    /// A fingerprint of the settings that shape the submitted names and tags (instance and agent tags, label rules, host).
    /// When the counters were kept under another one, the keys changed: a counter not seen before then sets a baseline
    /// instead of sending its whole value.
    /// </summary>
    public string? SeriesIdentity { get; init; }
}
