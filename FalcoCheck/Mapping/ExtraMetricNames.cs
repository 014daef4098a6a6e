using FalcoCheck.Parsing;

namespace FalcoCheck.Mapping;

/// <summary>
/// Names for extra_metrics samples by family type, the way Datadog's OpenMetrics V2 check sends them:
/// counters as <c>.count</c>, summaries and histograms split into <c>.sum</c>, <c>.count</c>, <c>.quantile</c>
/// and <c>.bucket</c>.
/// </summary>
internal static class ExtraMetricNames
{
    /// <summary>Returns the submitted name and kind, or null when the sample is not submitted (<c>_created</c>).</summary>
    public static (string Name, MetricKind Kind)? Resolve(string sent, MetricType type, string sampleName, string baseName)
    {
        var suffix = sampleName.Length > baseName.Length && sampleName.StartsWith(baseName, StringComparison.Ordinal)
            ? sampleName[baseName.Length..]
            : string.Empty;
        if (suffix == "_created")
        {
            return null;
        }

        return type switch
        {
            MetricType.Counter => (sent + ".count", MetricKind.MonotonicCount),
            MetricType.Summary or MetricType.Histogram or MetricType.GaugeHistogram => suffix switch
            {
                "_sum" => (sent + ".sum", MetricKind.MonotonicCount),
                "_count" => (sent + ".count", MetricKind.MonotonicCount),
                "_bucket" => (sent + ".bucket", MetricKind.MonotonicCount),
                _ => (sent + ".quantile", MetricKind.Gauge),
            },
            _ => (sent, MetricKind.Gauge),
        };
    }
}
