using FalcoCheck.Sinks;

namespace FalcoCheck.Mapping;

/// <summary>Where and when derived signals are submitted: one run of one instance.</summary>
internal sealed record DerivedContext(string Instance, string Host, long Timestamp, int IntervalSeconds, string[] BaseTags, bool Restarted)
{
    public MetricPoint Gauge(string name, double value, string? unit, string[] tags) =>
        new(name, MetricKind.Gauge, value, Timestamp, IntervalSeconds, Host, tags, unit);
}
