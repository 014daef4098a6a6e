namespace FalcoCheck.Runtime;

/// <summary>How <c>falcocheck check</c> runs.</summary>
internal sealed record CheckRunOptions
{
    /// <summary>Only this instance (index in conf.yaml), or all.</summary>
    public int? Instance { get; init; }

    /// <summary>Print JSON lines instead of the table.</summary>
    public bool Json { get; init; }

    /// <summary>Run twice, one interval apart, and report the second run (counts need two scrapes).</summary>
    public bool Rate { get; init; }

    /// <summary>Pause between the two runs of <see cref="Rate"/>; null uses each instance's min_collection_interval.</summary>
    public TimeSpan? RateInterval { get; init; }

    /// <summary>Keep counter state in state_dir between runs (off for --rate, which is a preview).</summary>
    public bool Persist => !Rate;
}
