using System.Text;
using System.Text.Json.Nodes;
using FalcoCheck.Alerts;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Sinks;
using FalcoCheck.Tests.Parsing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// A metrics snapshot and a scrape of the same moment give the same falco.* series: names, kinds, values and tags
/// (counters: the same increases across two snapshots and two scrapes). The scrape side is the real Prometheus
/// fixture through the mapper and counter state an instance uses; the snapshot side goes through
/// <see cref="SnapshotMetrics"/>.
/// </summary>
[TestFixture]
internal sealed class SnapshotScrapeEquivalenceTests
{
    /// <summary>Falco rounds memory to 0.1 MiB under convert_memory_to_mb: half of that either way.</summary>
    private const double MemoryTolerance = 0.05 * 1024 * 1024;

    [TestCaseSource(typeof(SnapshotSamples), nameof(SnapshotSamples.Pairs))]
    public void A_snapshot_gives_the_gauges_and_counts_of_the_scrape(string snapshotFile, string scrapeFile)
    {
        JsonObject snapshot = SnapshotSamples.Parse(snapshotFile);
        string scrape = File.ReadAllText(Path.Combine(FixtureFiles.Directory, scrapeFile));
        long timeNs = SnapshotSamples.Fields(snapshot)["evt.time"]!.GetValue<long>();

        var fromSnapshot = new Series(SnapshotPoints([SnapshotSamples.Line(snapshot)]));
        var fromScrape = new Series(ScrapePoints([scrape], timeNs, step: 0));

        Assert.That(fromScrape.Count, Is.GreaterThanOrEqualTo(5), "the scrape must give series, or the comparison is empty");
        Assert.That(fromSnapshot.Names, Does.Contain("falco.uptime"), "the derived signals, as a scrape's");
        AssertSame(fromSnapshot, fromScrape, scrapeFile);
    }

    private static IEnumerable<TestCaseData> CounterSteps()
    {
        yield return new TestCaseData("kernel", new (string, string, long)[]
        {
            ("scap.n_evts", "falcosecurity_scap_n_evts_total ", 52_000),
            ("scap.n_drops", "falcosecurity_scap_n_drops_total ", 17),
            ("scap.n_drops_buffer_open_exit", "falcosecurity_scap_n_drops_buffer_total{dir=\"exit\",drop=\"open\"} ", 9),
        }, "falco.scap.n.evts.count", 52_000d).SetName("kernel counters");
        yield return new TestCaseData("state", new (string, string, long)[]
        {
            ("falco.n_added_fds", "falcosecurity_scap_n_added_fds_total ", 321),
            ("falco.n_failed_thread_lookups", "falcosecurity_scap_n_failed_thread_lookups_total ", 5),
        }, "falco.scap.n.added.fds.count", 321d).SetName("state counters");
        yield return new TestCaseData("rules", new (string, string, long)[]
        {
            ("falco.rules.Read_sensitive_file_untrusted", "falcosecurity_falco_rules_matches_total{priority=\"4\",rule_name=\"Read sensitive file untrusted\"", 4),
        }, "falco.rules.matches.count", 4d).SetName("rule counters");
    }

    [TestCaseSource(nameof(CounterSteps))]
    public void Counters_give_the_same_increases_across_two_snapshots_and_two_scrapes(string kind, (string, string, long)[] increases, string counted, double expected)
    {
        JsonObject first = SnapshotSamples.Parse($"snapshot_falco-0.41.0_{kind}.json");
        string scrape = File.ReadAllText(Path.Combine(FixtureFiles.Directory, $"falco-0.41.0_prometheus_{kind}.prom.txt"));
        var (second, secondScrape) = SnapshotSamples.Later(first, scrape, step: 30, increases);
        long later = (SnapshotSamples.Fields(first)["evt.time"]!.GetValue<long>() / 1_000_000_000) + 30;

        var fromSnapshots = new Series(SnapshotPoints([SnapshotSamples.Line(first), SnapshotSamples.Line(second)]).Where(p => p.Timestamp == later));
        var fromScrapes = new Series(ScrapePoints([scrape, secondScrape], SnapshotSamples.Fields(first)["evt.time"]!.GetValue<long>(), step: 30).Where(p => p.Timestamp == later));

        Assert.That(fromSnapshots.Values(counted), Does.Contain(expected));
        Assert.That(fromSnapshots.Value("falco.duration.seconds.count"), Is.EqualTo(30));
        Assert.That(fromSnapshots.Interval("falco.duration.seconds.count"), Is.EqualTo(30));
        AssertSame(fromSnapshots, fromScrapes, "second " + kind + " scrape");
    }

    private static void AssertSame(Series snapshot, Series scrape, string what)
    {
        // Rule counters: a snapshot has Falco's sanitized rule name only, so their tags differ by design; names,
        // kinds and values must still agree.
        Assert.That(snapshot.Keys(lossyRules: true), Is.EquivalentTo(scrape.Keys(lossyRules: true)), what + ": series (name, kind, tags)");
        foreach ((string key, MetricPoint point) in snapshot.ByKey(lossyRules: true))
        {
            MetricPoint other = scrape.ByKey(lossyRules: true).First(p => p.Key == key).Point;
            double tolerance = point.Unit == "byte" && point.Name.StartsWith("falco.memory", StringComparison.Ordinal) || point.Name is "falco.host.memory.used" or "falco.container.memory.used"
                ? MemoryTolerance
                : Math.Abs(other.Value) * 1e-12;
            Assert.That(point.Value, Is.EqualTo(other.Value).Within(tolerance), $"{what}: {key}");
            Assert.That(point.Host, Is.EqualTo(other.Host), $"{what}: host of {key}");
        }
    }

    /// <summary>Snapshot lines through the alert intake's reader and <see cref="SnapshotMetrics"/>.</summary>
    private static List<MetricPoint> SnapshotPoints(IReadOnlyList<string> lines)
    {
        var metrics = new SnapshotMetrics(enabled: true, NullLogger.Instance);
        AlertContext context = SnapshotSamples.Context();
        foreach (string line in lines)
        {
            AlertBatch batch = AlertBodyReader.Read(Encoding.UTF8.GetBytes(line), context);
            Assert.That(batch.Alerts, Is.Empty, "a snapshot is never an alert");
            Assert.That(batch.Notices, Is.Empty);
            metrics.Add(batch.Snapshots);
        }

        var points = new List<MetricPoint>();
        while (metrics.Ready.TryRead(out Submission? submission))
        {
            points.AddRange(submission.Metrics);
        }

        return points;
    }

    /// <summary>Scrape bodies through the mapper and counter state, as <c>Instance.RunOnceAsync</c> does, at the snapshots' times.</summary>
    private static List<MetricPoint> ScrapePoints(IReadOnlyList<string> bodies, long firstTimeNs, int step)
    {
        string[] instanceTags = ["env:test", "falco_output:http_output"];
        var mapper = new FalcoMapper(new MappingOptions { InstanceTags = instanceTags });
        var counters = new CounterState();
        var signals = new FalcoSignals(counters.FileHashes);
        var points = new List<MetricPoint>();
        long nowMs = firstTimeNs / 1_000_000;
        foreach (string body in bodies)
        {
            mapper.Map(Encoding.UTF8.GetBytes(body), TextFormat.Prometheus);
            TimeSpan interval = counters.LastRunMs is { } last ? TimeSpan.FromMilliseconds(nowMs - last) : SnapshotMetrics.FirstInterval;
            counters.BeginRun(nowMs, interval, mapper.Facts.StartTimestampNs, mapper.Facts.ReloadTimestampNs);
            List<MetricPoint> run = CountedPoints.Build(mapper.Samples, mapper.Facts, counters, nowMs / 1000, (int)interval.TotalSeconds, "test", out _);
            bool restarted = counters.Restarted;
            counters.EndRun();
            signals.Derive(mapper.Facts, mapper.Samples, run, [], new DerivedContext("scrape", "test", nowMs / 1000, (int)interval.TotalSeconds,
                [.. instanceTags, .. mapper.Info.Tags], restarted));
            points.AddRange(run);
            nowMs += step * 1000L;
        }

        return points;
    }

    /// <summary>Points keyed by name, kind and sorted tags.</summary>
    private sealed class Series(IEnumerable<MetricPoint> points)
    {
        private readonly List<MetricPoint> _points = [.. points];

        public int Count => _points.Count;

        public double Value(string name) => _points.Single(p => p.Name == name).Value;

        public IEnumerable<string> Names => _points.Select(p => p.Name);

        public List<double> Values(string name) => [.. _points.Where(p => p.Name == name).Select(p => p.Value)];

        public int Interval(string name) => _points.Single(p => p.Name == name).IntervalSeconds;

        public List<string> Keys(bool lossyRules) => [.. ByKey(lossyRules).Select(p => p.Key)];

        public List<(string Key, MetricPoint Point)> ByKey(bool lossyRules) =>
            [.. _points.Select(p => (Key(p, lossyRules), p))];

        /// <summary>Tags a scrape's rule counter has from labels a snapshot does not carry.</summary>
        private static readonly string[] RuleOnlyTags = ["rule_name:", "priority:", "priority_name:", "source:", "falco_tag:", "mitre_tactic:", "mitre_technique:"];

        private static string Key(MetricPoint point, bool lossyRules)
        {
            IEnumerable<string> tags = point.Tags;
            if (lossyRules && point.Name.StartsWith("falco.rules.matches", StringComparison.Ordinal))
            {
                // Keep the value in the key so two rules stay two series; drop what a snapshot cannot carry.
                tags = tags.Where(t => !RuleOnlyTags.Any(prefix => t.StartsWith(prefix, StringComparison.Ordinal)))
                    .Append("value:" + point.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return $"{point.Name} {point.Kind} [{string.Join(',', tags.Order(StringComparer.Ordinal))}]";
        }
    }
}
