using System.Buffers;
using System.Text.Json;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Datadog;

namespace FalcoCheck.Tests.Sinks;

/// <summary>Datadog series (v2, v1) and check_run bodies: golden bytes, decoded with System.Text.Json, and split by size.</summary>
internal sealed class DatadogEncoderTests
{
    [Test]
    public void V2_series_match_the_golden_file_and_the_documented_schema()
    {
        using var encoder = new DatadogSeriesEncoder(DatadogApiVersion.V2);
        var output = new ArrayBufferWriter<byte>();

        int written = encoder.Write(SinkSamples.Points, output, int.MaxValue);

        Assert.That(written, Is.EqualTo(3));
        GoldenFile.Assert("datadog-v2-series.golden.json", output.WrittenSpan);
        using var json = JsonDocument.Parse(output.WrittenMemory);
        var series = json.RootElement.GetProperty("series").EnumerateArray().ToArray();
        var count = series[0];
        Assert.Multiple(() =>
        {
            Assert.That(count.GetProperty("metric").GetString(), Is.EqualTo("falco.rules.matches.count"));
            Assert.That(count.GetProperty("type").GetInt32(), Is.EqualTo(1), "count");
            Assert.That(count.GetProperty("interval").GetInt64(), Is.EqualTo(15));
            Assert.That(count.GetProperty("points")[0].GetProperty("timestamp").GetInt64(), Is.EqualTo(SinkSamples.Timestamp));
            Assert.That(count.GetProperty("points")[0].GetProperty("value").GetDouble(), Is.EqualTo(3), "the delta, not the cumulative value");
            Assert.That(count.GetProperty("resources")[0].GetProperty("name").GetString(), Is.EqualTo("node-1"));
            Assert.That(count.GetProperty("resources")[0].GetProperty("type").GetString(), Is.EqualTo("host"));
            Assert.That(count.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[]
            {
                "rule_name:terminal_shell_in_container", "priority:5", "endpoint:http://127.0.0.1:8765/metrics", "team:blue_team",
            }));
            Assert.That(count.TryGetProperty("unit", out _), Is.False);
            Assert.That(series[1].GetProperty("type").GetInt32(), Is.EqualTo(3), "gauge");
            Assert.That(series[1].TryGetProperty("interval", out _), Is.False);
            Assert.That(series[1].GetProperty("unit").GetString(), Is.EqualTo("byte"));
            Assert.That(series[2].GetProperty("points")[0].GetProperty("value").GetDouble(), Is.EqualTo(0.012345));
        });
    }

    [Test]
    public void V1_series_match_the_golden_file_and_the_legacy_schema()
    {
        using var encoder = new DatadogSeriesEncoder(DatadogApiVersion.V1);
        var output = new ArrayBufferWriter<byte>();

        encoder.Write(SinkSamples.Points, output, int.MaxValue);

        GoldenFile.Assert("datadog-v1-series.golden.json", output.WrittenSpan);
        using var json = JsonDocument.Parse(output.WrittenMemory);
        var count = json.RootElement.GetProperty("series")[0];
        Assert.Multiple(() =>
        {
            Assert.That(count.GetProperty("type").GetString(), Is.EqualTo("count"));
            Assert.That(count.GetProperty("interval").GetInt64(), Is.EqualTo(15));
            Assert.That(count.GetProperty("points")[0][0].GetInt64(), Is.EqualTo(SinkSamples.Timestamp));
            Assert.That(count.GetProperty("points")[0][1].GetDouble(), Is.EqualTo(3));
            Assert.That(count.GetProperty("host").GetString(), Is.EqualTo("node-1"));
            Assert.That(json.RootElement.GetProperty("series")[1].GetProperty("type").GetString(), Is.EqualTo("gauge"));
        });
    }

    [Test]
    public void Check_run_matches_the_golden_file_with_status_codes_and_the_Falco_version_tag()
    {
        using var encoder = new DatadogCheckRunEncoder();
        var output = new ArrayBufferWriter<byte>();

        int written = encoder.Write(SinkSamples.Checks, "0.40.0", output);

        Assert.That(written, Is.EqualTo(2));
        GoldenFile.Assert("datadog-check-run.golden.json", output.WrittenSpan);
        using var json = JsonDocument.Parse(output.WrittenMemory);
        var critical = json.RootElement[1];
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement[0].GetProperty("status").GetInt32(), Is.EqualTo(0));
            Assert.That(critical.GetProperty("check").GetString(), Is.EqualTo(ServiceCheck.HealthName));
            Assert.That(critical.GetProperty("status").GetInt32(), Is.EqualTo(2));
            Assert.That(critical.GetProperty("host_name").GetString(), Is.EqualTo("node-2"));
            Assert.That(critical.GetProperty("message").GetString(), Is.EqualTo("connection refused\nretrying"));
            Assert.That(critical.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Does.Contain("falco_version:0.40.0"));
        });
    }

    [TestCase(DatadogApiVersion.V2)]
    [TestCase(DatadogApiVersion.V1)]
    public void A_size_limit_splits_the_series_over_requests_without_losing_or_repeating_one(DatadogApiVersion version)
    {
        using var encoder = new DatadogSeriesEncoder(version);
        var points = SinkSamples.Many(500);
        var seen = new List<double>();
        int offset = 0;
        int requests = 0;
        while (offset < points.Length)
        {
            var output = new ArrayBufferWriter<byte>();
            int written = encoder.Write(points.AsSpan(offset), output, maxRawBytes: 8 * 1024);
            Assert.That(written, Is.GreaterThan(0));
            Assert.That(output.WrittenCount, Is.LessThanOrEqualTo(8 * 1024));
            using var json = JsonDocument.Parse(output.WrittenMemory);
            seen.AddRange(json.RootElement.GetProperty("series").EnumerateArray().Select(s => version == DatadogApiVersion.V2
                ? s.GetProperty("points")[0].GetProperty("value").GetDouble()
                : s.GetProperty("points")[0][1].GetDouble()));
            offset += written;
            requests++;
        }

        Assert.That(requests, Is.GreaterThan(5));
        Assert.That(seen, Is.EqualTo(points.Select(p => p.Value)));
    }

    [Test]
    public void A_series_larger_than_the_limit_alone_is_reported_not_written()
    {
        using var encoder = new DatadogSeriesEncoder(DatadogApiVersion.V2);
        var output = new ArrayBufferWriter<byte>();

        Assert.That(encoder.Write(SinkSamples.Points, output, maxRawBytes: 40), Is.Zero);
    }
}
