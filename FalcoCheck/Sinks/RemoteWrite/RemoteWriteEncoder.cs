using System.Buffers;
using System.Runtime.CompilerServices;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks.RemoteWrite.Protocol;
using Google.Protobuf;

namespace FalcoCheck.Sinks.RemoteWrite;

/// <summary>
/// A remote write 1.0 <c>WriteRequest</c> (protobuf, generated from Sinks/Protos/prometheus/remote.proto), pure: one
/// time series per point, labels sorted by name with <c>__name__</c> from <see cref="PrometheusNames"/> and
/// <c>host</c> from the point's host; counters carry their cumulative value (Prometheus conventions: counters are
/// never deltas); timestamps in milliseconds. Snappy compression is the sender's.
/// </summary>
internal sealed class RemoteWriteEncoder
{
    /// <summary>Prometheus' own sender puts at most <c>max_samples_per_send</c> (default 2000) samples in one request.</summary>
    public const int MaxSamplesPerRequest = 2000;

    public const string HostLabel = "host";

    // Label messages per series, built once (tags arrays live as long as their series).
    private static readonly ConditionalWeakTable<string[], Dictionary<(string Name, string Host), Label[]>> LabelCache = new();

    /// <summary>Writes up to <see cref="MaxSamplesPerRequest"/> points; returns how many.</summary>
    public static int Write(ReadOnlySpan<MetricPoint> points, IBufferWriter<byte> output)
    {
        var request = new WriteRequest();
        int count = Math.Min(points.Length, MaxSamplesPerRequest);
        for (int i = 0; i < count; i++)
        {
            var point = points[i];
            var series = new TimeSeries();
            series.Labels.AddRange(LabelsOf(point));
            double value = point.Kind == MetricKind.MonotonicCount ? point.Cumulative ?? point.Value : point.Value;
            series.Samples.Add(new Sample { Value = value, Timestamp = point.Timestamp * 1000 });
            request.Timeseries.Add(series);
        }

        request.WriteTo(output);
        return count;
    }

    private static Label[] LabelsOf(MetricPoint point)
    {
        var byName = LabelCache.GetValue(point.Tags, static _ => []);
        lock (byName)
        {
            if (!byName.TryGetValue((point.Name, point.Host), out var labels))
            {
                labels = Build(point);
                byName[(point.Name, point.Host)] = labels;
            }

            return labels;
        }
    }

    private static Label[] Build(MetricPoint point)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in PrometheusNames.Labels(point.Tags))
        {
            sorted[name] = value;
        }

        sorted.TryAdd(HostLabel, point.Host);
        // NOTE: a count known only as an increase (a derived count with no Cumulative) is not a Prometheus counter:
        // it goes out as a gauge of that increase, under its falco.* name (`falco_rules_files_changed_count`).
        sorted["__name__"] = PrometheusNames.MetricName(point.Name, point.Cumulative is null ? MetricKind.Gauge : point.Kind);
        var labels = new Label[sorted.Count];
        int i = 0;
        foreach (var (name, value) in sorted)
        {
            labels[i++] = new Label { Name = name, Value = value };
        }

        return labels;
    }
}
