namespace FalcoCheck.Mapping;

/// <summary>How a series is submitted. One small transform per kind (CONVENTIONS 6).</summary>
internal enum MetricKind : byte
{
    /// <summary>Submitted as is: the value at scrape time.</summary>
    Gauge,

    /// <summary>A cumulative counter, submitted as the increase since the previous scrape (`*.count`).</summary>
    MonotonicCount,

    /// <summary>Not a metric: read for what it says (Falco version, start and reload timestamps).</summary>
    Metadata,
}
