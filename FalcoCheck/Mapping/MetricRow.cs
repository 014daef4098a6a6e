namespace FalcoCheck.Mapping;

/// <summary>One row of the falco.* table: every raw name Falco has used for it, the name we submit, its kind and unit.</summary>
/// <param name="RawNames">Family names as Falco writes them, newest first; older releases are aliases.</param>
/// <param name="Name">The documented falco.* name (counts already carry their <c>.count</c> suffix).</param>
/// <param name="Kind">Gauge or monotonic count, from the documented list (metadata.csv), never from the suffix.</param>
/// <param name="Unit">Datadog unit name from metadata.csv, or null.</param>
/// <param name="PerEngine">True for libscap series that Falco writes once per event source (capture engine).</param>
/// <param name="Extended">True for FalcoCheck's own metrics, beyond Datadog's documented list (<c>extended_metrics</c>).</param>
/// <param name="GaugeTwin">Also submit the raw value as this gauge (extended): jemalloc sizes Falco declares as counters.</param>
/// <param name="Switch">The falco.yaml <c>metrics.*</c> switch that makes Falco write the series.</param>
internal sealed record MetricRow(
    string[] RawNames,
    string Name,
    MetricKind Kind,
    string? Unit = null,
    bool PerEngine = false,
    bool Extended = false,
    string? GaugeTwin = null,
    string? Switch = null);
