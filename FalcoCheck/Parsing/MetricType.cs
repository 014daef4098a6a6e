namespace FalcoCheck.Parsing;

/// <summary>
/// The type declared by a <c># TYPE</c> line. Prometheus text 0.0.4 allows counter, gauge, histogram, summary and
/// untyped; OpenMetrics 1.0 allows counter, gauge, histogram, gaugehistogram, stateset, info, summary and unknown.
/// </summary>
internal enum MetricType : byte
{
    /// <summary>OpenMetrics <c>unknown</c>; also the value when no type applies.</summary>
    Unknown,
    Counter,
    Gauge,
    Histogram,
    Summary,

    /// <summary>Prometheus 0.0.4 <c>untyped</c>.</summary>
    Untyped,
    StateSet,
    Info,
    GaugeHistogram,
}
