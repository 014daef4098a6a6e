using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>
/// The parts of a series body that stay the same from one scrape to the next, already as JSON: the normalized tag
/// array, the metric name, the host and the unit. The series encoder copies them instead of normalizing, escaping
/// and transcoding the same strings every scrape (the profile of issue 7 put that at half the pipeline's time).
/// </summary>
/// <remarks>
/// Keyed by the identity of the point's tag array: a context keeps its array for its lifetime (the mapper's series
/// cache, <c>Mapping/SeriesContext</c>), and arrays are never changed once built (<see cref="DatadogTags"/> relies
/// on the same). A <see cref="ConditionalWeakTable{TKey,TValue}"/> holds an entry only while its array lives, so a
/// series that goes away (evicted, its instance removed) takes its entry with it, and reads are lock-free for the
/// many instances that share one sink. Name, host and unit are remembered from the point that created the entry;
/// a point that shares the array with another name (the self-telemetry points share one tag array) is written
/// the ordinary way for that part, so nothing is ever rebuilt per scrape.
/// </remarks>
internal sealed class DatadogEncodedContext
{
    // The writer settings of JsonItemWriter (default encoder), so the cached bytes equal what it would write.
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };
    private static readonly JsonEncodedText NameProperty = JsonEncodedText.Encode("name"u8);
    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type"u8);
    private static readonly JsonEncodedText HostType = JsonEncodedText.Encode("host"u8);

    // One table per API version: the host is written differently (v2 resources, v1 a string).
    private static readonly ConditionalWeakTable<string[], DatadogEncodedContext> V2 = new();
    private static readonly ConditionalWeakTable<string[], DatadogEncodedContext> V1 = new();

    // Names, units and hosts are the same string objects in many contexts (the metric table's names, an instance's
    // host): encoded once per string and shared, so each context holds little more than its tag bytes. Consulted
    // only when a context is first seen.
    private static readonly ConditionalWeakTable<string, byte[]> Strings = new();
    private static readonly ConditionalWeakTable<string, byte[]> Resources = new();

    private readonly string _name;
    private readonly string _host;
    private readonly string? _unit;

    private DatadogEncodedContext(in MetricPoint point, DatadogApiVersion version)
    {
        _name = point.Name;
        _host = point.Host;
        _unit = point.Unit;
        Name = Shared(Strings, point.Name, static (json, name) => json.WriteStringValue(name));
        Unit = point.Unit is null ? null : Shared(Strings, point.Unit, static (json, unit) => json.WriteStringValue(unit));
        Host = version == DatadogApiVersion.V2
            ? Shared(Resources, point.Host, static (json, host) =>
            {
                json.WriteStartArray();
                json.WriteStartObject();
                json.WriteString(NameProperty, host);
                json.WriteString(TypeProperty, HostType);
                json.WriteEndObject();
                json.WriteEndArray();
            })
            : Shared(Strings, point.Host, static (json, host) => json.WriteStringValue(host));
        Tags = Encode(point.Tags, static (json, tags) =>
        {
            json.WriteStartArray();
            foreach (var tag in DatadogTags.NormalizeUncached(tags))
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
        });
    }

    /// <summary>The tag array as JSON (<c>["a:b",…]</c>), normalized as Datadog stores tags.</summary>
    public byte[] Tags { get; }

    /// <summary>v2: the <c>resources</c> array (<c>[{"name":host,"type":"host"}]</c>); v1: the host as a JSON string.</summary>
    public byte[] Host { get; }

    /// <summary>The metric name as a JSON string.</summary>
    public byte[] Name { get; }

    /// <summary>The unit as a JSON string, or null when the point that made this entry had none.</summary>
    public byte[]? Unit { get; }

    /// <summary>The entry of <paramref name="point"/>'s tag array, made on first sight.</summary>
    public static DatadogEncodedContext For(in MetricPoint point, DatadogApiVersion version)
    {
        var table = version == DatadogApiVersion.V2 ? V2 : V1;
        // Looked up first so that a hit does not copy the point into the factory's argument.
        return table.TryGetValue(point.Tags, out var context)
            ? context
            : table.GetOrAdd(point.Tags, static (_, made) => made.Create(), new Factory(point, version));
    }

    public bool HasName(string name) => string.Equals(_name, name, StringComparison.Ordinal);

    public bool HasHost(string host) => string.Equals(_host, host, StringComparison.Ordinal);

    public bool HasUnit(string unit) => string.Equals(_unit, unit, StringComparison.Ordinal);

    private static byte[] Shared(ConditionalWeakTable<string, byte[]> table, string text, Action<Utf8JsonWriter, string> write) =>
        table.TryGetValue(text, out var json) ? json : table.GetOrAdd(text, Encode(text, write));

    private static byte[] Encode<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var json = new Utf8JsonWriter(buffer, Options);
        write(json, value);
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The factory's argument: only called on a miss, so a hit allocates nothing.</summary>
    private readonly record struct Factory(MetricPoint Point, DatadogApiVersion Version)
    {
        public DatadogEncodedContext Create() => new(Point, Version);
    }
}
