using System.Buffers;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks.Otlp.Protocol;
using Google.Protobuf;

namespace FalcoCheck.Sinks.Otlp;

/// <summary>
/// An OTLP <c>ExportMetricsServiceRequest</c> (protobuf, generated from Sinks/Protos/opentelemetry), pure. One
/// ResourceMetrics per host (<c>host.name</c>, <c>service.name</c>, <c>falco.version</c>), one Metric per name:
/// gauges as Gauge, counts as monotonic Sum, cumulative (start = Falco's start or reload) or delta (start = the
/// previous scrape). Names and attributes as in Prometheus (<see cref="PrometheusNames"/>); units in UCUM.
/// </summary>
internal static class OtlpEncoder
{
    /// <summary>Points per request: the batch size OpenTelemetry .NET's exporter uses (512).</summary>
    public const int MaxPointsPerRequest = 512;

    public const string ScopeName = "falcocheck";

    public static int Write(ReadOnlySpan<MetricPoint> points, string? falcoVersion, OtlpOptions options, IBufferWriter<byte> output)
    {
        var request = new ExportMetricsServiceRequest();
        var scopes = new Dictionary<string, ScopeMetrics>(StringComparer.Ordinal);
        var metrics = new Dictionary<(string Host, string Name), Metric>();
        int count = Math.Min(points.Length, MaxPointsPerRequest);
        for (int i = 0; i < count; i++)
        {
            var point = points[i];
            if (!scopes.TryGetValue(point.Host, out var scope))
            {
                scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = ScopeName, Version = ThisAssembly.Version } };
                var resource = new ResourceMetrics { Resource = Resource(point.Host, options.ServiceName, falcoVersion) };
                resource.ScopeMetrics.Add(scope);
                request.ResourceMetrics.Add(resource);
                scopes.Add(point.Host, scope);
            }

            if (!metrics.TryGetValue((point.Host, point.Name), out var metric))
            {
                metric = NewMetric(point, options.Temporality);
                scope.Metrics.Add(metric);
                metrics.Add((point.Host, point.Name), metric);
            }

            var dataPoints = metric.DataCase == Metric.DataOneofCase.Sum ? metric.Sum.DataPoints : metric.Gauge.DataPoints;
            dataPoints.Add(DataPoint(point, options.Temporality));
        }

        request.WriteTo(output);
        return count;
    }

    /// <summary>UCUM units for the metric table's words (OTel semantic conventions: <c>By</c>, <c>s</c>, <c>{thread}</c>).</summary>
    public static string Unit(string? unit) => unit switch
    {
        null => string.Empty,
        "byte" => "By",
        "second" => "s",
        _ => "{" + unit + "}",
    };

    private static Metric NewMetric(MetricPoint point, OtlpTemporality temporality)
    {
        var metric = new Metric { Name = PrometheusNames.MetricName(point.Name, point.Kind), Unit = Unit(point.Unit) };
        if (point.Kind == MetricKind.MonotonicCount)
        {
            metric.Sum = new Sum
            {
                IsMonotonic = true,
                AggregationTemporality = IsDelta(point, temporality) ? AggregationTemporality.Delta : AggregationTemporality.Cumulative,
            };
        }
        else
        {
            metric.Gauge = new Gauge();
        }

        return metric;
    }

    /// <summary>
    /// Delta when configured, and for counts known only as an increase (derived counts such as
    /// <c>falco.rules.files.changed</c> carry no cumulative value): sending their increase as cumulative would be wrong.
    /// </summary>
    private static bool IsDelta(MetricPoint point, OtlpTemporality temporality) =>
        temporality == OtlpTemporality.Delta || point.Cumulative is null;

    private static NumberDataPoint DataPoint(MetricPoint point, OtlpTemporality temporality)
    {
        const long NanosPerSecond = 1_000_000_000;
        var data = new NumberDataPoint { TimeUnixNano = (ulong)(point.Timestamp * NanosPerSecond) };
        if (point.Kind == MetricKind.MonotonicCount)
        {
            if (IsDelta(point, temporality))
            {
                data.AsDouble = point.Value;
                data.StartTimeUnixNano = (ulong)((point.Timestamp - point.IntervalSeconds) * NanosPerSecond);
            }
            else
            {
                data.AsDouble = point.Cumulative!.Value;
                data.StartTimeUnixNano = (ulong)Math.Max(0, point.StartTimeUnixNano);
            }
        }
        else
        {
            data.AsDouble = point.Value;
        }

        foreach (var (name, value) in PrometheusNames.Labels(point.Tags))
        {
            data.Attributes.Add(Attribute(name, value));
        }

        return data;
    }

    private static Resource Resource(string host, string serviceName, string? falcoVersion)
    {
        var resource = new Resource();
        resource.Attributes.Add(Attribute("host.name", host));
        resource.Attributes.Add(Attribute("service.name", serviceName));
        if (falcoVersion is not null)
        {
            resource.Attributes.Add(Attribute("falco.version", falcoVersion));
        }

        return resource;
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
