using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Datadog;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// The per-context cache of the Datadog series encoder: the bytes it copies equal what Utf8JsonWriter writes for
/// the same strings, it is reused across scrapes, forgotten with its series, and safe for many callers at once.
/// </summary>
internal sealed class DatadogEncodedContextTests
{
    private static IEnumerable<TestCaseData> Contexts()
    {
        yield return Case("plain Falco tags", "falco.rules.matches.count", "node-1", null, "rule_name:terminal_shell_in_container", "priority:5");
        yield return Case("tags to normalize, one dropped", "falco.rules.matches.count", "node-1", null, "rule_name:Terminal shell in container", "123", "team:Blue__Team");
        yield return Case("non-ASCII tags and host (escaped as \\u)", "falco.memory.rss", "nœud-ü", "byte", "ünicöde:metäl", "data_dog_繋がっ_てて");
        yield return Case("quotes, backslashes and control characters in name, host and unit", "falco.\"odd\"\\name", "host\t\"x\"", "by\nte", "endpoint:http://127.0.0.1:8765/metrics");
        yield return Case("HTML-sensitive characters (the default encoder escapes them)", "falco.a<b>&c", "h+'1'", "per<s>", "file:/etc/a&b<c>");
        yield return Case("no tags", "falco.cpu.usage.ratio", "node-2", null);
    }

    private static TestCaseData Case(string name, string metric, string host, string? unit, params string[] tags) =>
        new TestCaseData(metric, host, unit, tags).SetName(name);

    [TestCaseSource(nameof(Contexts))]
    public void V2_bytes_equal_what_Utf8JsonWriter_writes_for_the_same_point(string metric, string host, string? unit, string[] tags)
    {
        var point = Point(metric, host, unit, tags);

        var encoded = Encode(DatadogApiVersion.V2, point);

        Assert.That(encoded, Is.EqualTo(Reference(point, v2: true)));
    }

    [TestCaseSource(nameof(Contexts))]
    public void V1_bytes_equal_what_Utf8JsonWriter_writes_for_the_same_point(string metric, string host, string? unit, string[] tags)
    {
        var point = Point(metric, host, unit, tags);

        var encoded = Encode(DatadogApiVersion.V1, point);

        Assert.That(encoded, Is.EqualTo(Reference(point, v2: false)));
    }

    private static IEnumerable<TestCaseData> Values() =>
        new (string Name, double Value)[]
        {
            ("zero", 0), ("negative zero", -0.0), ("small integer", 3), ("19-digit counter", 1_234_567_890_123_456_789),
            ("2^53 + 2", 9_007_199_254_740_994), ("shortest round trip", 0.1 + 0.2), ("ratio", 0.012345), ("tiny", 1.5e-7),
            ("exponent form", 1e21), ("largest double", double.MaxValue), ("smallest subnormal", double.Epsilon), ("negative", -42.5),
        }.Select(c => new TestCaseData(c.Value).SetName($"value: {c.Name}"));

    [TestCaseSource(nameof(Values))]
    public void Numbers_are_formatted_as_Utf8JsonWriter_formats_them(double value)
    {
        MetricPoint[] points =
        [
            Point("falco.rules.matches.count", "node-1", null, ["rule_name:a"]) with { Value = value, Timestamp = long.MaxValue, IntervalSeconds = int.MaxValue },
            Point("falco.memory.rss", "node-1", "byte", ["x:y"]) with { Kind = MetricKind.Gauge, Value = value, Timestamp = 0 },
        ];

        Assert.That(Encode(DatadogApiVersion.V2, points), Is.EqualTo(Reference(points, v2: true)));
    }

    [Test]
    public void Points_sharing_a_tag_array_with_other_names_hosts_and_units_are_written_with_their_own()
    {
        // The self-telemetry points share one tag array across names and units; the first point makes the entry.
        string[] tags = ["endpoint:http://127.0.0.1:8765/metrics"];
        MetricPoint[] points =
        [
            Point("falco.check.up", "node-1", null, tags),
            Point("falco.check.payload.bytes", "node-1", "byte", tags),
            Point("falco.check.scrape.duration", "node-2", "second", tags),
            Point("falco.check.up", "node-1", "byte", tags),
        ];

        foreach (var version in new[] { DatadogApiVersion.V2, DatadogApiVersion.V1 })
        {
            var encoded = Encode(version, points);

            Assert.That(encoded, Is.EqualTo(Reference(points, version == DatadogApiVersion.V2)), version.ToString());
        }
    }

    [Test]
    public void A_tag_array_is_encoded_once_and_reused_by_later_scrapes()
    {
        var point = Point("falco.rules.matches.count", "node-1", null, ["rule_name:a", "priority:5"]);

        var first = DatadogEncodedContext.For(point, DatadogApiVersion.V2);
        var second = DatadogEncodedContext.For(point with { Value = 42, Timestamp = point.Timestamp + 15 }, DatadogApiVersion.V2);
        var equalButNotSame = DatadogEncodedContext.For(point with { Tags = [.. point.Tags] }, DatadogApiVersion.V2);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(equalButNotSame, Is.Not.SameAs(first), "keyed by the array, not its contents");
            Assert.That(DatadogEncodedContext.For(point, DatadogApiVersion.V1), Is.Not.SameAs(first), "v1 writes the host differently");
        });
    }

    [Test]
    public void A_steady_state_encoding_allocates_nothing()
    {
        using var encoder = new DatadogSeriesEncoder(DatadogApiVersion.V2);
        var points = SinkSamples.Many(200);
        var output = new ArrayBufferWriter<byte>(256 * 1024);
        encoder.Write(points, output, int.MaxValue);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            output.ResetWrittenCount();
            encoder.Write(points, output, int.MaxValue);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void An_entry_goes_away_with_its_tag_array()
    {
        // Series come and go (evicted, instance removed): their encoded tags must not stay behind.
        var entry = EntryOfAnArrayNobodyKeeps();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.That(entry.IsAlive, Is.False);
    }

    [Test]
    public void Many_callers_at_once_get_the_same_bytes_as_one()
    {
        // One sink serves many instances; two encoders (two sinks) may also share the cache at the same moment.
        var points = SinkSamples.Many(300);
        var expected = Reference(points, v2: true);

        var results = new byte[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using var encoder = new DatadogSeriesEncoder(DatadogApiVersion.V2);
            var output = new ArrayBufferWriter<byte>();
            for (int round = 0; round < 20; round++)
            {
                output.ResetWrittenCount();
                encoder.Write(points, output, int.MaxValue);
            }

            results[i] = output.WrittenSpan.ToArray();
        });

        Assert.That(results, Is.All.EqualTo(expected));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference EntryOfAnArrayNobodyKeeps()
    {
        var point = Point("falco.rules.matches.count", "node-1", null, ["rule_name:" + Guid.NewGuid().ToString("N")]);
        return new WeakReference(DatadogEncodedContext.For(point, DatadogApiVersion.V2));
    }

    private static MetricPoint Point(string metric, string host, string? unit, string[] tags) =>
        new(metric, MetricKind.MonotonicCount, 3.5, SinkSamples.Timestamp, 15, host, tags, unit);

    private static byte[] Encode(DatadogApiVersion version, params MetricPoint[] points)
    {
        using var encoder = new DatadogSeriesEncoder(version);
        var output = new ArrayBufferWriter<byte>();
        Assert.That(encoder.Write(points, output, int.MaxValue), Is.EqualTo(points.Length));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The body written field by field with Utf8JsonWriter, as the encoder did before it cached anything.</summary>
    private static byte[] Reference(MetricPoint[] points, bool v2)
    {
        var output = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        json.WriteStartObject();
        json.WriteStartArray("series");
        foreach (var point in points)
        {
            json.WriteStartObject();
            json.WriteString("metric", point.Name);
            bool count = point.Kind == MetricKind.MonotonicCount;
            if (v2)
            {
                json.WriteNumber("type", count ? 1 : 3);
                if (count)
                {
                    json.WriteNumber("interval", point.IntervalSeconds);
                }

                json.WriteStartArray("points");
                json.WriteStartObject();
                json.WriteNumber("timestamp", point.Timestamp);
                json.WriteNumber("value", point.Value);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartArray("resources");
                json.WriteStartObject();
                json.WriteString("name", point.Host);
                json.WriteString("type", "host");
                json.WriteEndObject();
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("type", count ? "count" : "gauge");
                if (count)
                {
                    json.WriteNumber("interval", point.IntervalSeconds);
                }

                json.WriteStartArray("points");
                json.WriteStartArray();
                json.WriteNumberValue(point.Timestamp);
                json.WriteNumberValue(point.Value);
                json.WriteEndArray();
                json.WriteEndArray();
                json.WriteString("host", point.Host);
            }

            json.WriteStartArray("tags");
            foreach (var tag in point.Tags)
            {
                if (DatadogTags.Normalize(tag) is { Length: > 0 } normalized)
                {
                    json.WriteStringValue(normalized);
                }
            }

            json.WriteEndArray();
            if (v2 && point.Unit is { } unit)
            {
                json.WriteString("unit", unit);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Reference(MetricPoint point, bool v2) => Reference([point], v2);
}
