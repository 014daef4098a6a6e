using FalcoCheck.Mapping;
using FalcoCheck.Sinks;

namespace FalcoCheck.Alerts;

/// <summary>
/// <c>falco.alerts.count</c>: alerts queued per rule, priority, source and host, submitted to the metrics sinks as
/// a count per interval. Tags match <c>falco.rules.matches.count</c> (<c>rule_name</c>, <c>source</c>) so the two
/// can be compared; the priority is by name (<c>priority_name:critical</c>), since the metric's <c>priority</c> tag
/// is Falco's number.
/// </summary>
/// <param name="reconciliation">Told of every alert counted, to compare with Falco's rule matches (the daemon only).</param>
internal sealed class AlertCounter(AlertReconciliation? reconciliation = null)
{
    public const string MetricName = "falco.alerts.count";

    private readonly Lock _gate = new();
    private Dictionary<(string Rule, FalcoPriority Priority, string? Source, string Host), long> _counts = [];

    public void Add(IReadOnlyList<NormalizedAlert> alerts)
    {
        lock (_gate)
        {
            foreach (NormalizedAlert alert in alerts)
            {
                var key = (alert.Rule, alert.Priority, alert.Source, alert.Hostname);
                _counts[key] = _counts.GetValueOrDefault(key) + 1;
            }
        }

        reconciliation?.Received(alerts);
    }

    /// <summary>The counts since the last flush, as points of one interval; empty when no alert came.</summary>
    public List<MetricPoint> Flush(long timestamp, int intervalSeconds, IReadOnlyList<string> baseTags)
    {
        Dictionary<(string Rule, FalcoPriority Priority, string? Source, string Host), long> counts;
        lock (_gate)
        {
            counts = _counts;
            _counts = [];
        }

        var points = new List<MetricPoint>(counts.Count);
        foreach (((string rule, FalcoPriority priority, string? source, string host), long count) in counts)
        {
            string[] tags = [.. baseTags, "rule_name:" + rule, "priority_name:" + AlertPriorities.TagValue(priority),
                .. source is null ? Array.Empty<string>() : ["source:" + source]];
            points.Add(new MetricPoint(MetricName, MetricKind.MonotonicCount, count, timestamp, intervalSeconds, host, tags, null));
        }

        return points;
    }
}
