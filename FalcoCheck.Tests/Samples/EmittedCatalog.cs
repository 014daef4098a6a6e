using FalcoCheck.Demo;
using FalcoCheck.Mapping;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Samples;

/// <summary>
/// What FalcoCheck can emit, read from the code's tables and from real runs: metric names with their kind, and the
/// tag keys seen on real output. Dashboards and monitors are checked against it.
/// </summary>
internal sealed class EmittedCatalog
{
    private static readonly Lazy<Task<EmittedCatalog>> Shared = new(BuildAsync);

    private EmittedCatalog(Dictionary<string, MetricKind> metrics, HashSet<string> tagKeys)
    {
        Metrics = metrics;
        TagKeys = tagKeys;
    }

    /// <summary>falco.* name → kind, from the mapping table, the jemalloc gauges and the derived signals.</summary>
    public Dictionary<string, MetricKind> Metrics { get; }

    /// <summary>Tag keys seen on real output (plus <c>host</c>, which every backend has).</summary>
    public HashSet<string> TagKeys { get; }

    public static Task<EmittedCatalog> GetAsync() => Shared.Value;

    private static async Task<EmittedCatalog> BuildAsync()
    {
        var metrics = new Dictionary<string, MetricKind>(StringComparer.Ordinal);
        foreach (var row in FalcoMetricTable.Rows)
        {
            metrics[row.Name] = row.Kind;
            if (row.GaugeTwin is { } twin)
            {
                metrics[twin] = MetricKind.Gauge;
            }
        }

        foreach (var (name, kind) in FalcoSignals.Metrics)
        {
            metrics[name] = kind;
        }

        // Tag keys: two scrapes of every recorded Falco payload, so counts, ratios and drift counts appear.
        var keys = new HashSet<string>(StringComparer.Ordinal) { "host" };
        await using var server = ReplayServer.StartEmbedded();
        var instances = string.Concat(ReplayServer.EmbeddedPayloadNames().Select(n => $"  - openmetrics_endpoint: {server.BaseUrl}/{n}/metrics\n"));
        using var config = new TestConfig(instances);
        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true, Rate = true, RateInterval = TimeSpan.FromMilliseconds(100) });
        foreach (var line in run.Metrics.Concat(run.ServiceChecks))
        {
            foreach (var tag in CheckRun.Tags(line))
            {
                keys.Add(tag[..tag.IndexOf(':', StringComparison.Ordinal)]);
            }
        }

        return new EmittedCatalog(metrics, keys);
    }
}
