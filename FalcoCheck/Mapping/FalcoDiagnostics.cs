
namespace FalcoCheck.Mapping;

/// <summary>
/// Turns "metrics are missing" into the falco.yaml switch to set: which families a Falco payload lacks, and
/// what a 404 means.
/// </summary>
internal static class FalcoDiagnostics
{
    /// <summary>A series that shows each metrics.* switch is on, and what the switch gives.</summary>
    private static readonly (string Witness, string Switch, string Gives)[] Switches =
    [
        ("falco.cpu.usage.ratio", FalcoMetricTable.Resources, "falco.cpu.*, falco.memory.*, falco.host.*"),
        ("falco.scap.n.threads", FalcoMetricTable.State, "falco.scap.n.threads, falco.scap.n.fds and the state counters"),
        ("falco.scap.n.evts.count", FalcoMetricTable.Kernel, "falco.scap.n.evts.count and the drop counters"),
        ("falco.jemalloc.active.count", FalcoMetricTable.Jemalloc, "falco.jemalloc.*"),
        ("falco.scap.n.evts.cpu.count", FalcoMetricTable.PerCpu, "falco.scap.n.evts.cpu.count per CPU"),
    ];

    public const string MetricsDisabled =
        "Falco answers /healthz but not /metrics: set metrics.enabled: true and webserver.prometheus_metrics_enabled: true in falco.yaml";

    public const string StillStarting = "Falco is still starting (it answers 404 until its start-up is finished); the next run should succeed";

    /// <summary>Switches whose series are absent from a Falco payload, as one note, or null.</summary>
    public static string? MissingSwitches(ScrapeFacts facts, IReadOnlyList<MappedSample> samples, bool extended)
    {
        if (facts.FalcoVersion is null)
        {
            return null;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            present.Add(sample.Context.Name);
        }

        List<string>? missing = null;
        foreach (var (witness, name, gives) in Switches)
        {
            // Per-CPU counters are extended metrics: without them their absence says nothing.
            if ((name == FalcoMetricTable.PerCpu && !extended) || present.Contains(witness))
            {
                continue;
            }

            (missing ??= []).Add($"{name}: true ({gives})");
        }

        return missing is null ? null : "not in Falco's payload; to get them set in falco.yaml " + string.Join("; ", missing);
    }
}
