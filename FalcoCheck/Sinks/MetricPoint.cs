using FalcoCheck.Mapping;

namespace FalcoCheck.Sinks;

/// <summary>One value as submitted: a gauge, or a count over <paramref name="IntervalSeconds"/>.</summary>
/// <param name="Timestamp">Unix seconds of the scrape.</param>
internal readonly record struct MetricPoint(
    string Name,
    MetricKind Kind,
    double Value,
    long Timestamp,
    int IntervalSeconds,
    string Host,
    string[] Tags,
    string? Unit)
{
    /// <summary>
    /// For a count: the counter's raw cumulative value, which Prometheus remote write and OTLP (cumulative
    /// temporality) send instead of the delta in <see cref="Value"/>. Null for gauges.
    /// </summary>
    public double? Cumulative { get; init; }

    /// <summary>
    /// For a count: when the cumulative value last started from zero (Falco's start or reload), Unix nanoseconds;
    /// 0 when unknown. OTLP's <c>start_time_unix_nano</c>.
    /// </summary>
    public long StartTimeUnixNano { get; init; }
}
