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
    string? Unit);
