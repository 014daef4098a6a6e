using System.Text.Json;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks;

namespace FalcoCheck.Tests.Support;

/// <summary>How a point the check printed (JSON lines) is named in a remote-write backend: a key to match both sides.</summary>
internal static class RemoteWriteSeries
{
    public static bool IsCount(JsonElement metric) => metric.GetProperty("type").GetString() == "count";

    /// <summary><c>name{label=value,…}</c> with Prometheus' name, the sorted labels and <c>host</c>.</summary>
    public static string Key(JsonElement metric)
    {
        var kind = IsCount(metric) ? MetricKind.MonotonicCount : MetricKind.Gauge;
        var name = PrometheusNames.MetricName(metric.GetProperty("metric").GetString()!, kind);
        var labels = PrometheusNames.Labels(CheckRun.Tags(metric)).Append(new("host", metric.GetProperty("host").GetString()!))
            .OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value);
        return name + "{" + string.Join(',', labels) + "}";
    }

    public static string Key(ExportedSeries series) => series.Name + "{" + series.LabelKey + "}";
}
