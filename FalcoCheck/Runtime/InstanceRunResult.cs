using FalcoCheck.Parsing;
using FalcoCheck.Sinks;

namespace FalcoCheck.Runtime;

/// <summary>What one run of one instance did: the report line of <c>check</c> and the input of self-telemetry.</summary>
internal sealed record InstanceRunResult
{
    public required int Index { get; init; }

    /// <summary>The endpoint as shown to users (no credentials).</summary>
    public required string Name { get; init; }

    public required ServiceCheckStatus Status { get; init; }

    /// <summary>Why the instance is not OK, or notes (lines skipped); empty when all is well.</summary>
    public required string Message { get; init; }

    public required Submission Submission { get; init; }

    public string? FalcoVersion { get; init; }

    public TimeSpan Duration { get; init; }

    public int PayloadBytes { get; init; }

    public int SeriesScraped { get; init; }

    public int SeriesDropped { get; init; }

    public int DuplicateSeries { get; init; }

    /// <summary>Raw series summed into another by the label rules (include_labels, exclude_labels, rename_labels).</summary>
    public int MergedSeries { get; init; }

    public int InvalidLines { get; init; }

    public IReadOnlyList<ParseError> ParseErrors { get; init; } = [];

    /// <summary>Limits reached in this run, one entry per setting (README "Hardening").</summary>
    public IReadOnlyList<LimitHit> LimitHits { get; init; } = [];

    /// <summary>True when a connection error was ignored (<c>ignore_connection_errors</c>).</summary>
    public bool Skipped { get; init; }

    /// <summary>The run's timestamp (Unix seconds) on its points and checks.</summary>
    public long Timestamp { get; init; }
}
