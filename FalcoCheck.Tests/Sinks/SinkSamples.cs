using FalcoCheck.Mapping;
using FalcoCheck.Sinks;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Sinks;

/// <summary>A small submission with what encoders must get right: a count, gauges with units, tags to normalize, two checks.</summary>
internal static class SinkSamples
{
    public const long Timestamp = 1_747_146_400;
    public const long FalcoStartNs = 1_747_140_000_123_456_789;

    public static readonly string[] RuleTags = ["rule_name:Terminal shell in container", "priority:5", "endpoint:http://127.0.0.1:8765/metrics", "team:Blue__Team"];
    public static readonly string[] EndpointTags = ["endpoint:http://127.0.0.1:8765/metrics", "engine_name:modern_bpf"];

    public static MetricPoint Count => new("falco.rules.matches.count", MetricKind.MonotonicCount, 3, Timestamp, 15, "node-1", RuleTags, null)
    { Cumulative = 42, StartTimeUnixNano = FalcoStartNs };

    public static MetricPoint Rss => new("falco.memory.rss", MetricKind.Gauge, 96_903_168, Timestamp, 15, "node-1", EndpointTags, "byte");

    public static MetricPoint Cpu => new("falco.cpu.usage.ratio", MetricKind.Gauge, 0.012345, Timestamp, 15, "node-2", EndpointTags, null);

    public static MetricPoint[] Points => [Count, Rss, Cpu];

    public static ServiceCheck[] Checks =>
    [
        new(ServiceCheck.HealthName, ServiceCheckStatus.Ok, string.Empty, Timestamp, "node-1", ["endpoint:http://127.0.0.1:8765/metrics"]),
        new(ServiceCheck.HealthName, ServiceCheckStatus.Critical, "connection refused\nretrying", Timestamp, "node-2", ["endpoint:http://10.0.0.2:8765/metrics"]),
    ];

    public static Submission Submission => new("http://127.0.0.1:8765/metrics", Points, Checks) { FalcoVersion = "0.40.0" };

    /// <summary>Many points, to make encoders split.</summary>
    public static MetricPoint[] Many(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Rss with { Tags = [$"index:{i}", .. EndpointTags], Value = i })];
}
