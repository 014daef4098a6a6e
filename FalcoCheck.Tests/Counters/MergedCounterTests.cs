using System.Text;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Sinks;

namespace FalcoCheck.Tests.Counters;

/// <summary>
/// A counter context that label rules give two raw series (their sum): when one of them leaves the scrape or resets
/// alone while Falco keeps running, the sum falls; that is not Falco restarting, so the whole sum must not be sent.
/// </summary>
internal sealed class MergedCounterTests
{
    private const long StartNs = 1_000_000L * 1_000_000;
    private const long NowMs = 10_000_000;

    private static string Payload(long startNs, params (string Rule, double Value)[] rules)
    {
        var text = new StringBuilder()
            .Append("# TYPE falcosecurity_falco_start_timestamp_nanoseconds gauge\n")
            .Append("falcosecurity_falco_start_timestamp_nanoseconds ").Append(startNs).Append('\n')
            .Append("# TYPE falcosecurity_falco_rules_matches_total counter\n");
        foreach (var (rule, value) in rules)
        {
            text.Append("falcosecurity_falco_rules_matches_total{priority=\"4\",rule_name=\"").Append(rule)
                .Append("\",source=\"syscall\"} ").Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Maps each payload as one run (15 s apart) and returns the rule-match points of each run.</summary>
    private static List<List<MetricPoint>> Runs(MappingOptions options, params string[] payloads)
    {
        var mapper = new FalcoMapper(options);
        var counters = new CounterState();
        var runs = new List<List<MetricPoint>>();
        for (var i = 0; i < payloads.Length; i++)
        {
            mapper.Map(Encoding.UTF8.GetBytes(payloads[i]), TextFormat.Prometheus);
            var nowMs = NowMs + (i * 15_000L);
            counters.BeginRun(nowMs, TimeSpan.FromSeconds(15), mapper.Facts.StartTimestampNs, mapper.Facts.ReloadTimestampNs);
            var points = CountedPoints.Build(mapper.Samples, mapper.Facts, counters, nowMs / 1000, 15, "host", out _);
            counters.EndRun();
            runs.Add(points.Where(p => p.Name == FalcoMetricTable.RulesMatches).ToList());
        }

        return runs;
    }

    private static MappingOptions BySource => new() { IncludeLabels = new HashSet<string> { "source" } };

    [Test]
    public void A_raw_series_that_leaves_a_merged_context_does_not_send_the_whole_sum()
    {
        var runs = Runs(BySource,
            Payload(StartNs, ("A", 10), ("B", 5)),
            Payload(StartNs, ("A", 12)),
            Payload(StartNs, ("A", 14)));

        Assert.That(runs[1].Select(p => p.Value), Has.None.EqualTo(12), "the sum of what is left, sent as if Falco had restarted");
        Assert.That(runs[1], Is.Empty, "the fallen sum is a new baseline");
        Assert.That(runs[2].Select(p => p.Value), Is.EqualTo(new[] { 2d }), "counted from the new baseline");
    }

    [Test]
    public void A_raw_series_that_resets_alone_does_not_send_the_whole_sum()
    {
        var runs = Runs(BySource,
            Payload(StartNs, ("A", 10), ("B", 5)),
            Payload(StartNs, ("A", 12), ("B", 0)),
            Payload(StartNs, ("A", 13), ("B", 1)));

        Assert.That(runs[1].Select(p => p.Value), Has.None.EqualTo(12));
        Assert.That(runs[2].Select(p => p.Value), Is.EqualTo(new[] { 2d }));
    }

    [Test]
    public void A_merged_context_still_counts_everything_after_Falco_restarts()
    {
        var runs = Runs(BySource,
            Payload(StartNs, ("A", 10), ("B", 5)),
            Payload(StartNs + 1, ("A", 3), ("B", 1)));

        Assert.That(runs[1].Select(p => p.Value), Is.EqualTo(new[] { 4d }));
    }

    [Test]
    public void A_merged_context_that_grows_sends_the_increase_of_the_sum()
    {
        var runs = Runs(BySource,
            Payload(StartNs, ("A", 10), ("B", 5)),
            Payload(StartNs, ("A", 12), ("B", 6)));

        Assert.That(runs[1].Select(p => p.Value), Is.EqualTo(new[] { 3d }));
    }

    [Test]
    public void An_unmerged_counter_that_falls_is_still_read_as_a_reset()
    {
        // Without label rules each rule is its own context: a decrease stays a reset (CONVENTIONS 8).
        var runs = Runs(new MappingOptions(),
            Payload(StartNs, ("A", 10)),
            Payload(StartNs, ("A", 4)));

        Assert.That(runs[1].Select(p => p.Value), Is.EqualTo(new[] { 4d }));
    }
}
