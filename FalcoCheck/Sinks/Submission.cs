namespace FalcoCheck.Sinks;

/// <summary>What one run of one instance submits: its series and service checks.</summary>
internal sealed record Submission(string Instance, IReadOnlyList<MetricPoint> Metrics, IReadOnlyList<ServiceCheck> ServiceChecks)
{
    /// <summary>Falco's version from <c>falcosecurity_falco_version_info</c>, when the scrape had it.</summary>
    public string? FalcoVersion { get; init; }
}
