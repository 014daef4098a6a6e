namespace FalcoCheck.Sinks;

/// <summary>What one run of one instance submits: its series, service checks and events.</summary>
internal sealed record Submission(string Instance, IReadOnlyList<MetricPoint> Metrics, IReadOnlyList<ServiceCheck> ServiceChecks)
{
    /// <summary>Events of this run, such as a changed rules file; most runs have none.</summary>
    public IReadOnlyList<FalcoEvent> Events { get; init; } = [];

    /// <summary>Falco's version from <c>falcosecurity_falco_version_info</c>, when the scrape had it.</summary>
    public string? FalcoVersion { get; init; }
}
