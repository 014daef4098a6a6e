namespace FalcoCheck.Runtime;

/// <summary>One instance as <c>falcocheck status</c> shows it, like a check in <c>datadog-agent status</c>.</summary>
internal sealed record InstanceReport
{
    public const string Pending = "pending";

    public required int Index { get; init; }

    public required string Endpoint { get; init; }

    public required double IntervalSeconds { get; init; }

    /// <summary><c>pending</c> before the first run, then <c>ok</c>, <c>critical</c> or <c>skipped</c> (ignore_connection_errors).</summary>
    public required string Status { get; init; }

    /// <summary>Why the last run was not OK, or notes about it; empty when all is well.</summary>
    public string Message { get; init; } = string.Empty;

    public DateTimeOffset? LastRun { get; init; }

    public double? LastDurationMs { get; init; }

    public DateTimeOffset? NextRun { get; init; }

    public string? FalcoVersion { get; init; }

    public int SeriesScraped { get; init; }

    public int SeriesSubmitted { get; init; }

    public long Runs { get; init; }

    /// <summary>Ticks skipped because a run lasted longer than the interval (runs of one instance never overlap).</summary>
    public long SkippedTicks { get; init; }

    public DateTimeOffset? LastOk { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }
}
