using FalcoCheck.Alerts;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Time.Testing;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The join of <c>falco.rules.matches.count</c> with the alerts received: the scrapes and alerts are fed in the
/// order they would reach the daemon, and the gauges read back.
/// </summary>
internal sealed class AlertReconciliationTests
{
    private const string Shell = "Terminal shell in container";
    private const string Sensitive = "Read sensitive file untrusted";

    /// <summary>Falco started long before the tests' scrapes (nanoseconds).</summary>
    private const long StartedNs = 1_700_000_000_000_000_000;

    private AlertReconciliation _join = null!;

    [SetUp]
    public void NewJoin() => _join = new AlertReconciliation(TimeProvider.System);

    [Test]
    public void Every_alert_delivered_leaves_nothing_unreceived()
    {
        // Falco started inside the first interval: the first scrape counts its matches, and their alerts came before.
        Alerts("node-1", Shell, 2);
        Scrape("falco", "node-1", (Shell, 2));
        Alerts("node-1", Shell, 2);
        Scrape("falco", "node-1", (Shell, 2));
        Alerts("node-1", Shell, 3);
        Scrape("falco", "node-1", (Shell, 3));

        Assert.Multiple(() =>
        {
            Assert.That(Unreceived("node-1", Shell), Is.Zero);
            Assert.That(Ratio("node-1"), Is.EqualTo(1));
        });
    }

    [Test]
    public void Alerts_that_never_came_are_unreceived()
    {
        Scrape("falco", "node-1");
        Alerts("node-1", Shell, 1);
        Scrape("falco", "node-1", (Shell, 4));

        Assert.Multiple(() =>
        {
            Assert.That(Unreceived("node-1", Shell), Is.EqualTo(3), "4 matches counted after the first scrape, 1 alert since");
            Assert.That(Ratio("node-1"), Is.EqualTo(0.25));
        });
    }

    [Test]
    public void A_host_that_matches_but_sends_no_alert_at_all_shows_every_match_unreceived()
    {
        Scrape("falco", "node-1", (Shell, 5), (Sensitive, 1));
        Scrape("falco", "node-1", (Shell, 2));

        Assert.Multiple(() =>
        {
            Assert.That(Unreceived("node-1", Shell), Is.EqualTo(7));
            Assert.That(Unreceived("node-1", Sensitive), Is.EqualTo(1));
            Assert.That(Ratio("node-1"), Is.Zero);
        });
    }

    [Test]
    public void Hosts_are_reconciled_apart_and_a_host_that_is_not_scraped_gets_no_value()
    {
        Scrape("falco-a", "node-a");
        Scrape("falco-b", "node-b");
        Alerts("node-a", Shell, 2);
        Alerts("node-c", Shell, 9);
        Scrape("falco-a", "node-a", (Shell, 2));
        Scrape("falco-b", "node-b", (Shell, 2));

        var points = _join.Points(0, []);
        Assert.Multiple(() =>
        {
            Assert.That(Unreceived("node-a", Shell), Is.Zero);
            Assert.That(Unreceived("node-b", Shell), Is.EqualTo(2));
            Assert.That(points.Where(p => p.Host == "node-c"), Is.Empty, "alerts alone say nothing about loss");
        });
    }

    [Test]
    public void Two_instances_on_one_host_add_their_matches()
    {
        // A syscall Falco and a k8saudit Falco on the same node; one rule is in both rule sets.
        Scrape("syscall", "node-1");
        Scrape("audit", "node-1");
        Alerts("node-1", Shell, 2);
        Alerts("node-1", Sensitive, 3);
        Scrape("syscall", "node-1", (Shell, 2), (Sensitive, 1));
        Scrape("audit", "node-1", (Sensitive, 2));

        Assert.Multiple(() =>
        {
            Assert.That(Unreceived("node-1", Shell), Is.Zero);
            Assert.That(Unreceived("node-1", Sensitive), Is.Zero);
            Assert.That(Ratio("node-1"), Is.EqualTo(1));
        });
    }

    [Test]
    public void Alerts_from_before_the_first_counted_increase_are_not_counted()
    {
        // The first scrape of a running Falco only sets the counter's baseline: its matches are not counted, nor
        // are the alerts of them.
        Alerts("node-1", Shell, 5);
        Scrape("falco", "node-1");
        Alerts("node-1", Shell, 2);
        Scrape("falco", "node-1", (Shell, 2));

        Assert.That(Unreceived("node-1", Shell), Is.Zero);
    }

    [Test]
    public void A_rule_that_first_matches_in_a_running_Falco_opens_its_window_at_its_baseline()
    {
        // Falco lists a rule only once it has matched; its first sighting is a baseline (no count), so the two
        // alerts before it belong to matches the count never shows.
        Scrape("falco", "node-1", (Sensitive, 1));
        Alerts("node-1", Shell, 2);
        Scrape("falco", "node-1", (Sensitive, 0));
        Alerts("node-1", Shell, 1);
        Scrape("falco", "node-1", (Sensitive, 0), (Shell, 1));

        Assert.Multiple(() =>
        {
            Assert.That(Unreceived("node-1", Shell), Is.Zero);
            Assert.That(Unreceived("node-1", Sensitive), Is.EqualTo(1));
        });
    }

    [Test]
    public void An_alert_that_arrives_after_the_scrape_that_counted_its_match_is_unreceived_until_the_next_scrape()
    {
        Scrape("falco", "node-1");
        Scrape("falco", "node-1", (Shell, 1));
        Assert.That(Unreceived("node-1", Shell), Is.EqualTo(1), "in flight at the scrape");

        Alerts("node-1", Shell, 1);
        Assert.That(Unreceived("node-1", Shell), Is.EqualTo(1), "alerts are counted up to the scrape, as matches are");

        Scrape("falco", "node-1", (Shell, 0));
        Assert.That(Unreceived("node-1", Shell), Is.Zero);
    }

    [Test]
    public void An_alert_that_arrives_before_the_scrape_of_its_match_is_not_counted_ahead()
    {
        Scrape("falco", "node-1");
        Alerts("node-1", Shell, 1);
        Scrape("falco", "node-1", (Shell, 1));
        Alerts("node-1", Shell, 1);

        Assert.That(Unreceived("node-1", Shell), Is.Zero, "the second alert's match is counted by the next scrape");
    }

    [Test]
    public void A_Falco_restart_drops_the_alerts_of_the_matches_lost_with_it()
    {
        // Real counter state: cumulative values in, deltas out, with Falco's start timestamp.
        var counters = new CounterState();
        var nowMs = StartedNs / 1_000_000 + 3_600_000;
        ScrapeCumulative(counters, nowMs, StartedNs, 10);
        Alerts("node-1", Shell, 3, StartedNs + 1);
        ScrapeCumulative(counters, nowMs + 15_000, StartedNs, 13);

        // Two more matches (14, 15) and their alerts, then Falco restarts: its counter of them dies with it.
        var restartedNs = (nowMs + 20_000) * 1_000_000;
        Alerts("node-1", Shell, 2, restartedNs - 1_000);
        Alerts("node-1", Shell, 1, restartedNs + 1_000);
        ScrapeCumulative(counters, nowMs + 30_000, restartedNs, 1);

        Assert.Multiple(() =>
        {
            Assert.That(Unreceived("node-1", Shell), Is.Zero);
            Assert.That(Ratio("node-1"), Is.EqualTo(1));
        });

        // Matches after the restart are counted as before.
        Alerts("node-1", Shell, 1, restartedNs + 2_000);
        ScrapeCumulative(counters, nowMs + 45_000, restartedNs, 3);
        Assert.That(Unreceived("node-1", Shell), Is.EqualTo(1));
    }

    [Test]
    public void Falco_internal_alerts_are_not_rule_matches()
    {
        Scrape("falco", "node-1");
        Alerts("node-1", "Falco internal: syscall event drop", 4);
        Alerts("node-1", "Falco internal: metrics snapshot", 1);
        Alerts("node-1", Shell, 1);
        Scrape("falco", "node-1", (Shell, 1));

        var points = _join.Points(0, []);
        Assert.Multiple(() =>
        {
            Assert.That(points.Select(RuleOf).Where(r => r is not null), Is.EquivalentTo(new[] { Shell }));
            Assert.That(Ratio("node-1"), Is.EqualTo(1));
        });
    }

    [Test]
    public void Falco_s_own_host_name_joins_the_alerts_when_the_scrape_has_it()
    {
        // falcocheck submits for its own host; Falco (in a pod) names the node in its alerts and in evt_hostname.
        Scrape("falco", "falcocheck-pod", falcoHost: "k8s-node1", matches: []);
        Alerts("k8s-node1", Shell, 1);
        Scrape("falco", "falcocheck-pod", falcoHost: "k8s-node1", matches: [(Shell, 1)]);

        var points = _join.Points(0, []);
        Assert.Multiple(() =>
        {
            Assert.That(points.Select(p => p.Host).Distinct(), Is.EqualTo(new[] { "k8s-node1" }));
            Assert.That(Unreceived("k8s-node1", Shell), Is.Zero);
        });
    }

    [Test]
    public void Rules_summed_under_other_by_max_rules_are_left_out()
    {
        Scrape("falco", "node-1", ("other", 3), (Shell, 1));
        Scrape("falco", "node-1", ("other", 3), (Shell, 1));

        Assert.That(_join.Points(0, []).Select(RuleOf).Where(r => r is not null), Is.EquivalentTo(new[] { Shell }));
    }

    [Test]
    public void Points_are_gauges_tagged_like_the_alert_count()
    {
        Scrape("falco", "node-1", (Shell, 1));
        Scrape("falco", "node-1", (Shell, 1));

        var points = _join.Points(1_747_146_400, ["env:prod"]);
        Assert.Multiple(() =>
        {
            Assert.That(points.Select(p => p.Kind), Is.All.EqualTo(MetricKind.Gauge));
            Assert.That(points.Single(p => p.Name == AlertReconciliation.Unreceived).Tags, Is.EqualTo(new[] { "env:prod", "rule_name:" + Shell }));
            Assert.That(points.Single(p => p.Name == AlertReconciliation.ReceivedRatio).Tags, Is.EqualTo(new[] { "env:prod" }));
            Assert.That(points.Select(p => p.Timestamp), Is.All.EqualTo(1_747_146_400));
        });
    }

    [Test]
    public void Nothing_is_reported_before_a_match_is_counted()
    {
        Alerts("node-1", Shell, 3);
        Scrape("falco", "node-1");

        Assert.That(_join.Points(0, []), Is.Empty);
    }

    private void Scrape(string instance, string host, params (string Rule, double Delta)[] matches) =>
        Scrape(instance, host, null, matches, StartedNs);

    private void Scrape(string instance, string host, string? falcoHost, (string Rule, double Delta)[] matches, long startNs = StartedNs)
    {
        var points = new List<MetricPoint>
        {
            // Every scrape has counts that carry Falco's start, matched or not.
            new("falco.scap.n.evts.count", MetricKind.MonotonicCount, 100, 0, 15, host, ["evt_source:syscall"], null) { StartTimeUnixNano = startNs },
        };
        if (falcoHost is not null)
        {
            points.Add(new MetricPoint("falco.evt.hostname", MetricKind.Gauge, 1, 0, 0, host, ["falco_hostname:" + falcoHost], null));
        }

        foreach (var (rule, delta) in matches)
        {
            points.Add(new MetricPoint("falco.rules.matches.count", MetricKind.MonotonicCount, delta, 0, 15, host,
                ["priority:4", "priority_name:warning", "rule_name:" + rule, "source:syscall"], null) { StartTimeUnixNano = startNs });
        }

        _join.Scraped(instance, host, points);
    }

    [Test]
    public void Alerts_of_many_hosts_without_a_scraped_instance_stay_bounded()
    {
        // Anyone who can post can name any host: 5,000 of them, 100 alerts each, none of them scraped.
        for (int h = 0; h < 5_000; h++)
        {
            Alerts("forged-" + h.ToString(System.Globalization.CultureInfo.InvariantCulture), Shell, 100);
        }

        Assert.That(_join.Waiting, Is.LessThanOrEqualTo(AlertReconciliation.MaxWaiting));
        Assert.That(_join.Overflowed, Is.EqualTo((5_000L * 100) - _join.Waiting), "what was not kept is counted");
    }

    [Test]
    public void Waiting_alerts_of_a_host_without_an_instance_age_out_and_the_host_is_forgotten()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(50));
        _join = new AlertReconciliation(clock);
        for (int h = 0; h < 1_000; h++)
        {
            Alerts("node-" + h.ToString(System.Globalization.CultureInfo.InvariantCulture), Shell, 10);
        }

        Assert.That(_join.Waiting, Is.EqualTo(10_000), "kept while a scrape may still count them");
        clock.Advance(AlertReconciliation.WaitingTtl + TimeSpan.FromSeconds(1));
        Alerts("node-new", Shell, 1);

        Assert.That(_join.Waiting, Is.EqualTo(1));
        Assert.That(_join.WaitingHosts, Is.EqualTo(1), "hosts with nothing waiting are not kept");
    }

    [Test]
    public void A_scrape_forgets_the_waiting_alerts_of_its_host_and_the_empty_host()
    {
        Scrape("falco", "node-1");
        Alerts("node-1", "Falco internal: hot restart", 3);
        Scrape("falco", "node-1");

        Assert.That(_join.Waiting, Is.Zero);
        Assert.That(_join.WaitingHosts, Is.Zero);
    }

    /// <summary>One scrape of a Falco whose <see cref="Shell"/> counter stands at <paramref name="cumulative"/>.</summary>
    private void ScrapeCumulative(CounterState counters, long nowMs, long startNs, double cumulative)
    {
        counters.BeginRun(nowMs, TimeSpan.FromSeconds(15), startNs, null);
        var counted = counters.TryGetDelta("shell", cumulative, out var delta);
        counters.EndRun();
        Scrape("falco", "node-1", null, counted ? [(Shell, delta)] : [], startNs);
    }

    private void Alerts(string host, string rule, int count, long eventNs = StartedNs + 1)
    {
        var alerts = Enumerable.Range(0, count).Select(_ => new NormalizedAlert(rule, FalcoPriority.Warning, "syscall", host, eventNs, [])).ToList();
        _join.Received(alerts);
    }

    private double Unreceived(string host, string rule) =>
        _join.Points(0, []).Single(p => p.Name == AlertReconciliation.Unreceived && p.Host == host && RuleOf(p) == rule).Value;

    private double Ratio(string host) =>
        _join.Points(0, []).Single(p => p.Name == AlertReconciliation.ReceivedRatio && p.Host == host).Value;

    private static string? RuleOf(MetricPoint point) =>
        point.Tags.FirstOrDefault(t => t.StartsWith("rule_name:", StringComparison.Ordinal))?["rule_name:".Length..];
}
