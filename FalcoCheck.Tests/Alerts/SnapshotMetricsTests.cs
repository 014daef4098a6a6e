using System.Text;
using System.Text.Json.Nodes;
using FalcoCheck.Alerts;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Counter state per Falco host and source, restarts, and the no-sink case of <see cref="SnapshotMetrics"/>.</summary>
[TestFixture]
internal sealed class SnapshotMetricsTests
{
    private static JsonObject Kernel(string host, long evts, long timeShiftSeconds = 0, long? startTs = null)
    {
        JsonObject alert = SnapshotSamples.Parse("snapshot_falco-0.41.0_kernel.json");
        JsonObject fields = SnapshotSamples.Fields(alert);
        fields["evt.hostname"] = host;
        fields["scap.n_evts"] = evts;
        fields["evt.time"] = fields["evt.time"]!.GetValue<long>() + (timeShiftSeconds * 1_000_000_000L);
        if (startTs is { } start)
        {
            fields["falco.start_ts"] = start;
            fields["falco.reload_ts"] = start;
        }

        return alert;
    }

    private static List<(string Host, double Value)> Events(SnapshotMetrics metrics, params JsonObject[] alerts)
    {
        foreach (JsonObject alert in alerts)
        {
            metrics.Add(AlertBodyReader.Read(Encoding.UTF8.GetBytes(SnapshotSamples.Line(alert)), SnapshotSamples.Context()).Snapshots);
        }

        var counts = new List<(string, double)>();
        while (metrics.Ready.TryRead(out Submission? submission))
        {
            counts.AddRange(submission.Metrics.Where(p => p.Name == "falco.scap.n.evts.count").Select(p => (p.Host, p.Value)));
        }

        return counts;
    }

    [Test]
    public void Each_Falco_host_keeps_its_own_counters()
    {
        var metrics = new SnapshotMetrics(enabled: true, NullLogger.Instance);

        var counts = Events(metrics, Kernel("a", 1000), Kernel("b", 50_000), Kernel("a", 1100, 60), Kernel("b", 50_007, 60));

        // The kernel fixture's Falco started 5 s before its snapshot: the first values are increases too.
        Assert.That(counts, Is.EqualTo(new[] { ("a", 1000d), ("b", 50_000d), ("a", 100d), ("b", 7d) }));
    }

    [Test]
    public void A_Falco_restart_restarts_the_counters_instead_of_giving_a_negative_increase()
    {
        var metrics = new SnapshotMetrics(enabled: true, NullLogger.Instance);
        long restartedAt = SnapshotSamples.Fields(Kernel("a", 0))["evt.time"]!.GetValue<long>() + (50L * 1_000_000_000L);

        var counts = Events(metrics, Kernel("a", 90_000), Kernel("a", 300, 60, startTs: restartedAt));

        Assert.That(counts, Is.EqualTo(new[] { ("a", 90_000d), ("a", 300d) }));
    }

    [Test]
    public void Without_a_sink_snapshots_are_counted_and_nothing_is_queued()
    {
        var metrics = new SnapshotMetrics(enabled: false, NullLogger.Instance);

        var counts = Events(metrics, Kernel("a", 1), Kernel("a", 2, 60));

        Assert.That(counts, Is.Empty);
        Assert.That(metrics.Received, Is.EqualTo(2));
        Assert.That(metrics.Dropped, Is.EqualTo(2));
    }
}
