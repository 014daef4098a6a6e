using System.Net;
using System.Text.Json;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// The daemon's schedules on a fake clock against real endpoints: one OK, one down, one that hangs. The OK one runs
/// once per interval with correct counts whatever the others do; nothing overlaps; the scrape gate holds.
/// </summary>
internal sealed class DaemonScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Test]
    public async Task Ok_down_and_hung_instances_each_run_on_their_own_schedule()
    {
        await using var ok = ReplayServer.StartEmbedded();
        await using var hung = new HangingEndpoint();
        var down = $"http://127.0.0.1:{TestHttpServer.FreePort()}/metrics";
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {ok.BaseUrl}/metrics\n    min_collection_interval: 2\n" +
            $"  - openmetrics_endpoint: {down}\n    min_collection_interval: 2\n" +
            $"  - openmetrics_endpoint: {hung.Url}\n    min_collection_interval: 2\n    timeout: 0.5\n",
            "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n",
            "init_config:\n  timeout: 1\n");
        await using var daemon = await DaemonHarness.StartAsync(config);

        const int Intervals = 5;
        for (var k = 1; k <= Intervals; k++)
        {
            await daemon.AdvanceAsync(Interval, (0, k), (1, k));
        }

        await Eventually.WaitAsync(() => daemon.Instance(2).Runs >= 1, "the hung instance times out once");
        await daemon.StopAsync();

        var okReport = daemon.Instance(0);
        Assert.Multiple(() =>
        {
            Assert.That(okReport.Status, Is.EqualTo("ok"));
            Assert.That(okReport.Runs, Is.EqualTo(Intervals), "one run per interval, not delayed by the hung instance");
            Assert.That(okReport.SkippedTicks, Is.Zero);
            Assert.That(ok.Requests, Is.EqualTo(Intervals));
            Assert.That(daemon.Instance(1).Status, Is.EqualTo("critical"));
            Assert.That(daemon.Instance(1).LastError, Does.Contain("refused"));
            Assert.That(daemon.Instance(2).Status, Is.EqualTo("critical"));
            Assert.That(daemon.Instance(2).LastError, Does.Contain("timed out"));
            Assert.That(hung.MaxInFlight, Is.EqualTo(1), "runs of one instance never overlap");
        });

        var written = daemon.Written();
        AssertCountsAreOneStepEach(written, $"endpoint:{ok.BaseUrl}/metrics", Intervals - 1);
        var health = written.Where(l => l.TryGetProperty("check", out _)).ToList();
        Assert.That(health.Count(h => Tags(h).Contains($"endpoint:{down}") && h.GetProperty("status").GetString() == "critical"), Is.EqualTo(Intervals));
        var up = written.Where(l => Metric(l) == SelfTelemetry.Up).ToList();
        Assert.That(up.Where(u => Tags(u).Contains($"endpoint:{ok.BaseUrl}/metrics")).Select(u => u.GetProperty("value").GetDouble()), Is.EqualTo(Enumerable.Repeat(1.0, Intervals)));
        Assert.That(up.Where(u => Tags(u).Contains($"endpoint:{down}")).Select(u => u.GetProperty("value").GetDouble()), Is.All.EqualTo(0));
    }

    [Test]
    public async Task A_run_longer_than_the_interval_skips_ticks_and_says_so()
    {
        await using var hung = new HangingEndpoint();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {hung.Url}\n    min_collection_interval: 2\n    timeout: 2\n",
            "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n");
        await using var daemon = await DaemonHarness.StartAsync(config);

        daemon.Clock.Advance(Interval);
        await Eventually.WaitAsync(() => hung.InFlight == 1, "the first scrape is waiting on the endpoint");
        // Three intervals pass while the scrape hangs (fake time); then the scrape times out (real time).
        daemon.Clock.Advance(Interval * 3);
        await Eventually.WaitAsync(() => daemon.Instance(0).Runs == 1, "the hung run ends");

        Assert.That(daemon.Instance(0).SkippedTicks, Is.EqualTo(3));
        Assert.That(hung.MaxInFlight, Is.EqualTo(1));
    }

    [Test]
    public async Task No_more_scrapes_at_once_than_max_concurrent_scrapes()
    {
        await using var slow = new HangingEndpoint(answerAfter: TimeSpan.FromMilliseconds(300));
        var instances = string.Concat(Enumerable.Range(0, 6).Select(i => $"  - openmetrics_endpoint: http://127.0.0.1:{slow.Port}/n{i}/metrics\n    min_collection_interval: 2\n"));
        using var config = new TestConfig(instances, "max_concurrent_scrapes: 2\nstatus:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n",
            "init_config:\n  timeout: 1\n");
        await using var daemon = await DaemonHarness.StartAsync(config);

        await daemon.AdvanceAsync(Interval, [.. Enumerable.Range(0, 6).Select(i => (i, 1L))]);
        // Stopped before counting: a run still under way finishes and is counted on both sides, none starts after.
        await daemon.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(slow.MaxInFlight, Is.InRange(1, 2), "never more scrapes at once than max_concurrent_scrapes");
            Assert.That(Enumerable.Range(0, 6).Select(i => daemon.Instance(i).Runs), Is.All.EqualTo(1), "one run per instance for one interval");
            Assert.That(slow.Paths.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(0, 6).Select(i => $"/n{i}/metrics")), "one request per run");
        });
    }

    /// <summary>
    /// Every count of the instance is the replay's step for that counter (1 to 7: the increase between two
    /// consecutive renderings), and each counter has exactly one count per run after the first.
    /// </summary>
    internal static void AssertCountsAreOneStepEach(List<JsonElement> written, string endpointTag, int runsWithCounts)
    {
        // The documented Falco counters (derived counts such as falco.rules.files.changed follow their own rules).
        var documented = MetadataCsv.Load();
        var counts = written.Where(l => l.TryGetProperty("type", out var t) && t.GetString() == "count" && Tags(l).Contains(endpointTag) && documented.ContainsKey(Metric(l)!))
            .GroupBy(l => Metric(l) + "|" + string.Join(',', Tags(l).Order(StringComparer.Ordinal)))
            .ToList();
        Assert.That(counts, Is.Not.Empty);
        foreach (var context in counts)
        {
            var values = context.Select(c => c.GetProperty("value").GetDouble()).ToList();
            Assert.That(values, Has.Count.EqualTo(runsWithCounts), context.Key);
            Assert.That(values.Distinct().Single(), Is.InRange(1, 7), context.Key);
        }
    }

    internal static string? Metric(JsonElement line) => line.TryGetProperty("metric", out var m) ? m.GetString() : null;

    internal static string[] Tags(JsonElement line) => CheckRun.Tags(line);
}
