namespace FalcoCheck.Sinks;

/// <summary>What one run of one instance submits: its series and service checks.</summary>
internal sealed record Submission(string Instance, IReadOnlyList<MetricPoint> Metrics, IReadOnlyList<ServiceCheck> ServiceChecks);
