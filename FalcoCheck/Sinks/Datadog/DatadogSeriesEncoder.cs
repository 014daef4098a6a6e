using System.Buffers;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>
/// Datadog series bodies, pure (no I/O). v2 (<c>POST /api/v2/series</c>):
/// <code>{"series":[{"metric":"falco.rules.matches.count","type":1,"interval":15,"points":[{"timestamp":1747146400,"value":3}],"resources":[{"name":"node-1","type":"host"}],"tags":["rule_name:…"]}]}</code>
/// types 1 count, 3 gauge; <c>unit</c> from the metric table. v1 (<c>POST /api/v1/series</c>):
/// <code>{"series":[{"metric":"…","type":"count","interval":15,"points":[[1747146400,3]],"host":"node-1","tags":[…]}]}</code>
/// Tags are normalized as Datadog stores them (<see cref="DatadogTags"/>).
/// </summary>
internal sealed class DatadogSeriesEncoder(DatadogApiVersion version) : IDisposable
{
    /// <summary>Datadog API reference, "Submit metrics" (v2): 500 KB (512000 bytes) compressed, 5 MB (5242880 bytes) decompressed.</summary>
    public static readonly PayloadLimits V2Limits = new(512_000, 5_242_880);

    /// <summary>Datadog API reference, "Submit metrics" (v1): 3.2 MB (3200000 bytes) compressed, 62 MB (62914560 bytes) decompressed.</summary>
    public static readonly PayloadLimits V1Limits = new(3_200_000, 62_914_560);

    /// <summary>The v2 <c>MetricIntakeType</c> values FalcoCheck sends.</summary>
    private const int V2Count = 1;
    private const int V2Gauge = 3;

    private readonly JsonItemWriter _writer = new();

    public DatadogApiVersion Version { get; } = version;

    public PayloadLimits Limits => Version == DatadogApiVersion.V2 ? V2Limits : V1Limits;

    /// <summary>Writes as many of <paramref name="points"/> as fit in <paramref name="maxRawBytes"/>; returns how many.</summary>
    public int Write(ReadOnlySpan<MetricPoint> points, IBufferWriter<byte> output, int maxRawBytes) =>
        _writer.WriteArray(points, "{\"series\":["u8, "]}"u8, Math.Min(maxRawBytes, Limits.MaxRawBytes), output,
            Version == DatadogApiVersion.V2 ? WriteV2 : WriteV1);

    public void Dispose() => _writer.Dispose();

    private static void WriteV2(JsonItemWriter writer, MetricPoint point)
    {
        var json = writer.Json;
        bool count = point.Kind == MetricKind.MonotonicCount;
        json.WriteStartObject();
        json.WriteString("metric"u8, point.Name);
        json.WriteNumber("type"u8, count ? V2Count : V2Gauge);
        if (count)
        {
            json.WriteNumber("interval"u8, point.IntervalSeconds);
        }

        json.WriteStartArray("points"u8);
        json.WriteStartObject();
        json.WriteNumber("timestamp"u8, point.Timestamp);
        json.WriteNumber("value"u8, point.Value);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("resources"u8);
        json.WriteStartObject();
        json.WriteString("name"u8, point.Host);
        json.WriteString("type"u8, "host"u8);
        json.WriteEndObject();
        json.WriteEndArray();
        writer.WriteTags("tags", DatadogTags.Normalize(point.Tags));
        if (point.Unit is { } unit)
        {
            json.WriteString("unit"u8, unit);
        }

        json.WriteEndObject();
    }

    private static void WriteV1(JsonItemWriter writer, MetricPoint point)
    {
        var json = writer.Json;
        bool count = point.Kind == MetricKind.MonotonicCount;
        json.WriteStartObject();
        json.WriteString("metric"u8, point.Name);
        json.WriteString("type"u8, count ? "count"u8 : "gauge"u8);
        if (count)
        {
            json.WriteNumber("interval"u8, point.IntervalSeconds);
        }

        json.WriteStartArray("points"u8);
        json.WriteStartArray();
        json.WriteNumberValue(point.Timestamp);
        json.WriteNumberValue(point.Value);
        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteString("host"u8, point.Host);
        writer.WriteTags("tags", DatadogTags.Normalize(point.Tags));
        json.WriteEndObject();
    }
}
