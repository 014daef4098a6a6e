using FalcoCheck.Mapping;
using FalcoCheck.Sinks;

namespace FalcoCheck.Runtime;

/// <summary>
/// FalcoCheck's own metrics (<c>falco.check.*</c>), submitted with the Falco metrics by <c>falcocheck run</c> so a
/// backend shows the collector's health next to Falco's. Per instance run: one point each, tagged like the
/// instance's health service check. Per sink: queue size and drops, at the agent's host.
/// </summary>
internal static class SelfTelemetry
{
    public const string ScrapeDuration = "falco.check.scrape.duration";
    public const string PayloadBytes = "falco.check.payload.bytes";
    public const string SeriesScraped = "falco.check.series.scraped";
    public const string SeriesSubmitted = "falco.check.series.submitted";
    public const string SeriesDropped = "falco.check.series.dropped";
    public const string ParseErrors = "falco.check.parse.errors";
    public const string DuplicateSeries = "falco.check.duplicate_series";
    public const string Up = "falco.check.up";
    public const string SinkQueueSize = "falco.check.sink.queue.size";
    public const string SinkDropped = "falco.check.sink.dropped";
    public const string SinkSpoolBytes = "falco.check.sink.spool.bytes";

    /// <summary>The submission name of the agent-level points (sinks), beside the instances' endpoints.</summary>
    public const string AgentSubmission = "falcocheck";

    /// <summary>
    /// The run's submission plus its <c>falco.check.*</c> points. A failed scrape reports only
    /// <see cref="Up"/> = 0 and the duration: there is no payload to describe.
    /// </summary>
    public static Submission WithRunMetrics(InstanceRunResult result, InstanceSettings settings, long timestamp)
    {
        var metrics = new List<MetricPoint>(result.Submission.Metrics.Count + 8);
        metrics.AddRange(result.Submission.Metrics);
        var tags = settings.HealthTags;
        var host = settings.Host;
        void Add(string name, double value, string? unit) =>
            metrics.Add(new MetricPoint(name, MetricKind.Gauge, value, timestamp, 0, host, tags, unit));

        var scraped = result.PayloadBytes > 0 || result.SeriesScraped > 0;
        if (!result.Skipped)
        {
            Add(Up, result.Status == ServiceCheckStatus.Ok ? 1 : 0, null);
        }

        Add(ScrapeDuration, result.Duration.TotalSeconds, "second");
        if (scraped)
        {
            Add(PayloadBytes, result.PayloadBytes, "byte");
            Add(SeriesScraped, result.SeriesScraped, null);
            Add(SeriesSubmitted, result.Submission.Metrics.Count, null);
            Add(SeriesDropped, result.SeriesDropped, null);
            Add(ParseErrors, result.InvalidLines, null);
            Add(DuplicateSeries, result.DuplicateSeries, null);
        }

        return result.Submission with { Metrics = metrics };
    }

    /// <summary>
    /// Per sink: items queued now, bytes in its disk spool, and items dropped since the previous report (a count over
    /// <paramref name="intervalSeconds"/>).
    /// </summary>
    public static Submission ForSinks(IReadOnlyList<(string Sink, long Queue, long SpoolBytes, long DroppedSinceLast, long DroppedTotal)> sinks, string host, IReadOnlyList<string> agentTags, long timestamp, int intervalSeconds)
    {
        var metrics = new List<MetricPoint>(sinks.Count * 3);
        foreach (var (sink, queue, spoolBytes, dropped, total) in sinks)
        {
            string[] tags = [.. agentTags, "sink:" + sink];
            metrics.Add(new MetricPoint(SinkQueueSize, MetricKind.Gauge, queue, timestamp, 0, host, tags, null));
            metrics.Add(new MetricPoint(SinkSpoolBytes, MetricKind.Gauge, spoolBytes, timestamp, 0, host, tags, "byte"));
            // The running total too, for backends that keep counters cumulative (remote write, OTLP).
            metrics.Add(new MetricPoint(SinkDropped, MetricKind.MonotonicCount, dropped, timestamp, intervalSeconds, host, tags, null) { Cumulative = total });
        }

        return new Submission(AgentSubmission, metrics, []);
    }
}
