using System.Buffers;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.Otlp.Protocol;
using FalcoCheck.Sinks.RemoteWrite;
using FalcoCheck.Sinks.RemoteWrite.Protocol;

namespace FalcoCheck.Tests.Sinks;

/// <summary>Remote write and OTLP bodies: golden bytes, decoded with the Google.Protobuf types generated from the .proto files.</summary>
internal sealed class ProtobufEncoderTests
{
    private static readonly OtlpOptions Otlp = new()
    {
        Endpoint = new HttpEndpointOptions { Url = new Uri("http://127.0.0.1:4318/v1/metrics"), DisplayName = "http://127.0.0.1:4318/v1/metrics" },
    };

    [Test]
    public void Remote_write_sends_sorted_labels_prometheus_names_and_cumulative_counters()
    {
        var output = new ArrayBufferWriter<byte>();

        int written = RemoteWriteEncoder.Write(SinkSamples.Points, output);

        Assert.That(written, Is.EqualTo(3));
        GoldenFile.Assert("remote-write.golden.bin", output.WrittenSpan);
        var request = WriteRequest.Parser.ParseFrom(output.WrittenSpan);
        var count = request.Timeseries[0];
        Assert.Multiple(() =>
        {
            Assert.That(count.Labels.Select(l => l.Name + "=" + l.Value), Is.EqualTo(new[]
            {
                "__name__=falco_rules_matches_total", "endpoint=http://127.0.0.1:8765/metrics", "host=node-1", "priority=5",
                "rule_name=Terminal shell in container", "team=Blue__Team",
            }));
            Assert.That(count.Samples.Single().Value, Is.EqualTo(42), "the cumulative counter, not the delta");
            Assert.That(count.Samples.Single().Timestamp, Is.EqualTo(SinkSamples.Timestamp * 1000));
            Assert.That(request.Timeseries[1].Labels[0].Value, Is.EqualTo("falco_memory_rss"));
            Assert.That(request.Timeseries[1].Samples.Single().Value, Is.EqualTo(96_903_168));
            Assert.That(request.Timeseries[2].Labels.Single(l => l.Name == "host").Value, Is.EqualTo("node-2"));
            foreach (var series in request.Timeseries)
            {
                Assert.That(series.Labels.Select(l => l.Name), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
            }
        });
    }

    [Test]
    public void Remote_write_snappy_body_round_trips_through_Snappier()
    {
        var raw = new ArrayBufferWriter<byte>();
        RemoteWriteEncoder.Write(SinkSamples.Many(300), raw);
        using var snappy = new PayloadCompressor(Compression.Snappy);

        var compressed = snappy.Compress(raw.WrittenMemory).ToArray();

        Assert.That(compressed.Length, Is.LessThan(raw.WrittenCount));
        Assert.That(Snappier.Snappy.DecompressToArray(compressed), Is.EqualTo(raw.WrittenSpan.ToArray()));
        Assert.That(WriteRequest.Parser.ParseFrom(Snappier.Snappy.DecompressToArray(compressed)).Timeseries, Has.Count.EqualTo(300));
    }

    [Test]
    public void Remote_write_caps_a_request_at_max_samples_per_send()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.That(RemoteWriteEncoder.Write(SinkSamples.Many(RemoteWriteEncoder.MaxSamplesPerRequest + 5), output), Is.EqualTo(RemoteWriteEncoder.MaxSamplesPerRequest));
    }

    [Test]
    public void Otlp_groups_by_host_with_resource_attributes_and_sends_counts_as_cumulative_monotonic_sums()
    {
        var output = new ArrayBufferWriter<byte>();

        int written = OtlpEncoder.Write(SinkSamples.Points, "0.40.0", Otlp, output);

        Assert.That(written, Is.EqualTo(3));
        GoldenFile.Assert("otlp-metrics.golden.bin", output.WrittenSpan);
        var request = ExportMetricsServiceRequest.Parser.ParseFrom(output.WrittenSpan);
        Assert.That(request.ResourceMetrics, Has.Count.EqualTo(2), "one resource per host");
        var node1 = request.ResourceMetrics[0];
        var attributes = node1.Resource.Attributes.ToDictionary(a => a.Key, a => a.Value.StringValue);
        var scope = node1.ScopeMetrics.Single();
        var count = scope.Metrics[0];
        var point = count.Sum.DataPoints.Single();
        Assert.Multiple(() =>
        {
            Assert.That(attributes, Is.EqualTo(new Dictionary<string, string> { ["host.name"] = "node-1", ["service.name"] = "falco", ["falco.version"] = "0.40.0" }));
            Assert.That(scope.Scope.Name, Is.EqualTo("falcocheck"));
            Assert.That(count.Name, Is.EqualTo("falco_rules_matches_total"));
            Assert.That(count.Sum.IsMonotonic, Is.True);
            Assert.That(count.Sum.AggregationTemporality, Is.EqualTo(AggregationTemporality.Cumulative));
            Assert.That(point.AsDouble, Is.EqualTo(42));
            Assert.That(point.StartTimeUnixNano, Is.EqualTo((ulong)SinkSamples.FalcoStartNs));
            Assert.That(point.TimeUnixNano, Is.EqualTo((ulong)SinkSamples.Timestamp * 1_000_000_000));
            Assert.That(point.Attributes.Select(a => a.Key + "=" + a.Value.StringValue), Does.Contain("rule_name=Terminal shell in container"));
            Assert.That(scope.Metrics[1].Name, Is.EqualTo("falco_memory_rss"));
            Assert.That(scope.Metrics[1].Unit, Is.EqualTo("By"));
            Assert.That(scope.Metrics[1].Gauge.DataPoints.Single().AsDouble, Is.EqualTo(96_903_168));
        });
    }

    [Test]
    public void Otlp_delta_temporality_sends_the_increase_over_the_interval()
    {
        var output = new ArrayBufferWriter<byte>();

        OtlpEncoder.Write(SinkSamples.Points, null, Otlp with { Temporality = OtlpTemporality.Delta }, output);

        var request = ExportMetricsServiceRequest.Parser.ParseFrom(output.WrittenSpan);
        var sum = request.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Sum;
        Assert.That(sum.AggregationTemporality, Is.EqualTo(AggregationTemporality.Delta));
        Assert.That(sum.DataPoints[0].AsDouble, Is.EqualTo(3));
        Assert.That(sum.DataPoints[0].StartTimeUnixNano, Is.EqualTo((ulong)(SinkSamples.Timestamp - 15) * 1_000_000_000));
        Assert.That(request.ResourceMetrics[0].Resource.Attributes.Select(a => a.Key), Has.No.Member("falco.version"));
    }
}
