using System.Buffers;
using System.Text;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.DogStatsD;

namespace FalcoCheck.Tests.Sinks;

/// <summary>DogStatsD datagrams: golden text, the line format, and packing under the size limit.</summary>
internal sealed class DogStatsDEncoderTests
{
    [Test]
    public void Writes_counts_gauges_and_service_checks_in_the_DogStatsD_format()
    {
        var output = new ArrayBufferWriter<byte>();

        var (points, checks) = new DogStatsDEncoder().Write(SinkSamples.Points, SinkSamples.Checks, 8192, output, out int tooLarge);

        Assert.That((points, checks, tooLarge), Is.EqualTo((3, 2, 0)));
        GoldenFile.Assert("dogstatsd.golden.txt", output.WrittenSpan);
        var lines = Encoding.UTF8.GetString(output.WrittenSpan).Split('\n');
        Assert.That(lines, Is.EqualTo(new[]
        {
            "falco.rules.matches.count:3|c|#rule_name:terminal_shell_in_container,priority:5,endpoint:http://127.0.0.1:8765/metrics,team:blue_team,host:node-1",
            "falco.memory.rss:96903168|g|#endpoint:http://127.0.0.1:8765/metrics,engine_name:modern_bpf,host:node-1",
            "falco.cpu.usage.ratio:0.012345|g|#endpoint:http://127.0.0.1:8765/metrics,engine_name:modern_bpf,host:node-2",
            "_sc|falco.openmetrics.health|0|d:1747146400|h:node-1|#endpoint:http://127.0.0.1:8765/metrics",
            "_sc|falco.openmetrics.health|2|d:1747146400|h:node-2|#endpoint:http://10.0.0.2:8765/metrics|m:connection refused\\nretrying",
        }));
    }

    [TestCase(1432)]
    [TestCase(200)]
    public void Packs_lines_into_datagrams_that_never_exceed_the_limit_and_lose_nothing(int limit)
    {
        var encoder = new DogStatsDEncoder();
        var points = SinkSamples.Many(100);
        var lines = new List<string>();
        int offset = 0;
        while (offset < points.Length)
        {
            var output = new ArrayBufferWriter<byte>();
            var (taken, _) = encoder.Write(points.AsSpan(offset), ReadOnlySpan<ServiceCheck>.Empty, limit, output, out _);
            Assert.That(output.WrittenCount, Is.InRange(1, limit));
            lines.AddRange(Encoding.UTF8.GetString(output.WrittenSpan).Split('\n'));
            offset += taken;
        }

        Assert.That(lines.Select(l => l.Split(':')[1].Split('|')[0]), Is.EqualTo(points.Select(p => p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Test]
    public void A_line_longer_than_the_datagram_is_taken_and_counted_not_sent()
    {
        var output = new ArrayBufferWriter<byte>();

        var (points, _) = new DogStatsDEncoder().Write(SinkSamples.Points.AsSpan(0, 1), ReadOnlySpan<ServiceCheck>.Empty, 64, output, out int tooLarge);

        Assert.That((points, tooLarge, output.WrittenCount), Is.EqualTo((1, 1, 0)));
    }
}
