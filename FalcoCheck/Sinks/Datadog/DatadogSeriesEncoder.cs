using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>
/// Datadog series bodies, pure (no I/O). v2 (<c>POST /api/v2/series</c>):
/// <code>{"series":[{"metric":"falco.rules.matches.count","type":1,"interval":15,"points":[{"timestamp":1747146400,"value":3}],"resources":[{"name":"node-1","type":"host"}],"tags":["rule_name:…"]}]}</code>
/// types 1 count, 3 gauge; <c>unit</c> from the metric table. v1 (<c>POST /api/v1/series</c>):
/// <code>{"series":[{"metric":"…","type":"count","interval":15,"points":[[1747146400,3]],"host":"node-1","tags":[…]}]}</code>
/// Tags are normalized as Datadog stores them (<see cref="DatadogTags"/>); what stays the same between scrapes is
/// encoded once per context (<see cref="DatadogEncodedContext"/>).
/// </summary>
internal sealed class DatadogSeriesEncoder : IDisposable
{
    /// <summary>Datadog API reference, "Submit metrics" (v2): 500 KB (512000 bytes) compressed, 5 MB (5242880 bytes) decompressed.</summary>
    public static readonly PayloadLimits V2Limits = new(512_000, 5_242_880);

    /// <summary>Datadog API reference, "Submit metrics" (v1): 3.2 MB (3200000 bytes) compressed, 62 MB (62914560 bytes) decompressed.</summary>
    public static readonly PayloadLimits V1Limits = new(3_200_000, 62_914_560);

    /// <summary>The v2 <c>MetricIntakeType</c> values FalcoCheck sends.</summary>
    private const int V2Count = 1;
    private const int V2Gauge = 3;

    /// <summary>Room for a series' numbers: a long and an int in decimal, a double in its shortest round-trip form.</summary>
    private const int NumbersMaxBytes = 64;

    private readonly JsonItemWriter _writer = new();
    private readonly ArrayBufferWriter<byte> _item = new(1024);
    private readonly Action<JsonItemWriter, MetricPoint> _writeItem;

    public DatadogSeriesEncoder(DatadogApiVersion version)
    {
        Version = version;
        _writeItem = version == DatadogApiVersion.V2 ? WriteV2 : WriteV1;
    }

    public DatadogApiVersion Version { get; }

    public PayloadLimits Limits => Version == DatadogApiVersion.V2 ? V2Limits : V1Limits;

    /// <summary>Writes as many of <paramref name="points"/> as fit in <paramref name="maxRawBytes"/>; returns how many.</summary>
    public int Write(ReadOnlySpan<MetricPoint> points, IBufferWriter<byte> output, int maxRawBytes) =>
        _writer.WriteArray(points, "{\"series\":["u8, "]}"u8, Math.Min(maxRawBytes, Limits.MaxRawBytes), output, _writeItem);

    public void Dispose() => _writer.Dispose();

    // Property names encoded once: Utf8JsonWriter otherwise checks each for escaping on every point.
    private static readonly JsonEncodedText MetricProperty = JsonEncodedText.Encode("metric"u8);
    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type"u8);
    private static readonly JsonEncodedText IntervalProperty = JsonEncodedText.Encode("interval"u8);
    private static readonly JsonEncodedText PointsProperty = JsonEncodedText.Encode("points"u8);
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("timestamp"u8);
    private static readonly JsonEncodedText ValueProperty = JsonEncodedText.Encode("value"u8);
    private static readonly JsonEncodedText ResourcesProperty = JsonEncodedText.Encode("resources"u8);
    private static readonly JsonEncodedText NameProperty = JsonEncodedText.Encode("name"u8);
    private static readonly JsonEncodedText HostProperty = JsonEncodedText.Encode("host"u8);
    private static readonly JsonEncodedText TagsProperty = JsonEncodedText.Encode("tags"u8);
    private static readonly JsonEncodedText UnitProperty = JsonEncodedText.Encode("unit"u8);
    private static readonly JsonEncodedText CountType = JsonEncodedText.Encode("count"u8);
    private static readonly JsonEncodedText GaugeType = JsonEncodedText.Encode("gauge"u8);
    private static readonly JsonEncodedText HostType = JsonEncodedText.Encode("host"u8);

    /// <summary>
    /// A v2 series from its context's cached JSON, the numbers formatted as Utf8JsonWriter formats them
    /// (<see cref="Utf8Formatter"/>, the shortest round-trip form for doubles), handed to the writer as one raw
    /// value: the same bytes as <see cref="WriteV2WithWriter"/> for a fraction of the calls. A point whose name,
    /// host or unit is not its context's, or whose value is not finite (which the writer refuses), takes the
    /// writer's path.
    /// </summary>
    private void WriteV2(JsonItemWriter writer, MetricPoint point)
    {
        var context = DatadogEncodedContext.For(point, DatadogApiVersion.V2);
        var unit = point.Unit is { } text && context.HasUnit(text) ? context.Unit : null;
        if (!double.IsFinite(point.Value) || !context.HasName(point.Name) || !context.HasHost(point.Host) ||
            (point.Unit is not null && unit is null))
        {
            WriteV2WithWriter(writer.Json, point, context);
            return;
        }

        bool count = point.Kind == MetricKind.MonotonicCount;
        _item.ResetWrittenCount();
        var item = _item.GetSpan(context.Name.Length + context.Host.Length + context.Tags.Length + (unit?.Length ?? 0) + 128 + NumbersMaxBytes);
        int at = Append(item, 0, "{\"metric\":"u8);
        at = Append(item, at, context.Name);
        if (count)
        {
            at = Append(item, at, ",\"type\":1,\"interval\":"u8); // V2Count
            at += Format(point.IntervalSeconds, item[at..]);
        }
        else
        {
            at = Append(item, at, ",\"type\":3"u8); // V2Gauge
        }

        at = Append(item, at, ",\"points\":[{\"timestamp\":"u8);
        at += Format(point.Timestamp, item[at..]);
        at = Append(item, at, ",\"value\":"u8);
        at += Format(point.Value, item[at..]);
        at = Append(item, at, "}],\"resources\":"u8);
        at = Append(item, at, context.Host);
        at = Append(item, at, ",\"tags\":"u8);
        at = Append(item, at, context.Tags);
        if (unit is not null)
        {
            at = Append(item, at, ",\"unit\":"u8);
            at = Append(item, at, unit);
        }

        at = Append(item, at, "}"u8);
        writer.Json.WriteRawValue(item[..at], skipInputValidation: true);
    }

    private static int Append(Span<byte> item, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(item[at..]);
        return at + bytes.Length;
    }

    private static int Format(long value, Span<byte> destination) =>
        Utf8Formatter.TryFormat(value, destination, out int written) ? written : throw new InvalidOperationException("No room for a number.");

    private static int Format(double value, Span<byte> destination) =>
        Utf8Formatter.TryFormat(value, destination, out int written) ? written : throw new InvalidOperationException("No room for a number.");

    private static void WriteV2WithWriter(Utf8JsonWriter json, MetricPoint point, DatadogEncodedContext context)
    {
        bool count = point.Kind == MetricKind.MonotonicCount;
        json.WriteStartObject();
        WriteName(json, context, point.Name);
        json.WriteNumber(TypeProperty, count ? V2Count : V2Gauge);
        if (count)
        {
            json.WriteNumber(IntervalProperty, point.IntervalSeconds);
        }

        json.WriteStartArray(PointsProperty);
        json.WriteStartObject();
        json.WriteNumber(TimestampProperty, point.Timestamp);
        json.WriteNumber(ValueProperty, point.Value);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WritePropertyName(ResourcesProperty);
        if (context.HasHost(point.Host))
        {
            json.WriteRawValue(context.Host, skipInputValidation: true);
        }
        else
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString(NameProperty, point.Host);
            json.WriteString(TypeProperty, HostType);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        WriteTags(json, context);
        if (point.Unit is { } unit)
        {
            json.WritePropertyName(UnitProperty);
            if (context.Unit is { } encoded && context.HasUnit(unit))
            {
                json.WriteRawValue(encoded, skipInputValidation: true);
            }
            else
            {
                json.WriteStringValue(unit);
            }
        }

        json.WriteEndObject();
    }

    private static void WriteV1(JsonItemWriter writer, MetricPoint point)
    {
        var json = writer.Json;
        var context = DatadogEncodedContext.For(point, DatadogApiVersion.V1);
        bool count = point.Kind == MetricKind.MonotonicCount;
        json.WriteStartObject();
        WriteName(json, context, point.Name);
        json.WriteString(TypeProperty, count ? CountType : GaugeType);
        if (count)
        {
            json.WriteNumber(IntervalProperty, point.IntervalSeconds);
        }

        json.WriteStartArray(PointsProperty);
        json.WriteStartArray();
        json.WriteNumberValue(point.Timestamp);
        json.WriteNumberValue(point.Value);
        json.WriteEndArray();
        json.WriteEndArray();
        if (context.HasHost(point.Host))
        {
            json.WritePropertyName(HostProperty);
            json.WriteRawValue(context.Host, skipInputValidation: true);
        }
        else
        {
            json.WriteString(HostProperty, point.Host);
        }

        WriteTags(json, context);
        json.WriteEndObject();
    }

    private static void WriteName(Utf8JsonWriter json, DatadogEncodedContext context, string name)
    {
        json.WritePropertyName(MetricProperty);
        if (context.HasName(name))
        {
            json.WriteRawValue(context.Name, skipInputValidation: true);
        }
        else
        {
            json.WriteStringValue(name);
        }
    }

    /// <summary>The context's normalized tags, copied as they were encoded on first sight.</summary>
    private static void WriteTags(Utf8JsonWriter json, DatadogEncodedContext context)
    {
        json.WritePropertyName(TagsProperty);
        json.WriteRawValue(context.Tags, skipInputValidation: true);
    }
}
