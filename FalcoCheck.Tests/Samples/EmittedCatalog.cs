using System.Text.Json;
using FalcoCheck.Alerts;
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

    private EmittedCatalog(Dictionary<string, MetricKind> metrics, HashSet<string> tagKeys, HashSet<string> logFacets)
    {
        Metrics = metrics;
        TagKeys = tagKeys;
        LogFacets = logFacets;
    }

    /// <summary>
    /// What an alert log can be searched and grouped by: its tags (<c>ddtags</c> keys, host, source, service,
    /// status) and its attributes as <c>@path</c>, from normalizing the recorded Falco alerts.
    /// </summary>
    public HashSet<string> LogFacets { get; }

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

        metrics[AlertCounter.MetricName] = MetricKind.MonotonicCount;
        metrics[AlertReconciliation.Unreceived] = MetricKind.Gauge;
        metrics[AlertReconciliation.ReceivedRatio] = MetricKind.Gauge;

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

        keys.UnionWith(["rule_name", "priority_name", "source"]); // falco.alerts.count (AlertCounter)
        return new EmittedCatalog(metrics, keys, LogFacetsOfSamples());
    }

    private static HashSet<string> LogFacetsOfSamples()
    {
        var facets = new HashSet<string>(StringComparer.Ordinal) { "host", "source", "service", "status" };
        var context = new AlertContext("test-node", "falco", ["env:test"], TimeProvider.System);
        var samples = Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "alerts"), "*.json").Select(File.ReadAllText).ToList();

        // Datadog's own pipeline test sample: a Kubernetes container alert with a MITRE technique tag.
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "reference", "datadog", "falco", "assets", "logs", "falco_tests.yaml"))));
        var tests = (YamlDotNet.RepresentationModel.YamlSequenceNode)((YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode)["tests"];
        samples.AddRange(tests.Select(t => ((YamlDotNet.RepresentationModel.YamlScalarNode)((YamlDotNet.RepresentationModel.YamlMappingNode)t)["sample"]).Value!));
        foreach (var sample in samples)
        {
            using var alert = JsonDocument.Parse(sample);
            Assert.That(AlertNormalizer.TryNormalize(alert.RootElement, context, out var normalized, out var error), Is.True, error);
            using var document = JsonDocument.Parse(normalized!.Document);
            AddAttributes(document.RootElement, "@", facets);
            foreach (var tag in document.RootElement.GetProperty("ddtags").GetString()!.Split(','))
            {
                facets.Add(tag.Contains(':', StringComparison.Ordinal) ? tag[..tag.IndexOf(':', StringComparison.Ordinal)] : tag);
            }
        }

        return facets;
    }

    private static void AddAttributes(JsonElement element, string path, HashSet<string> facets)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = path + property.Name;
            facets.Add(name);
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                AddAttributes(property.Value, name + ".", facets);
            }
        }
    }
}
