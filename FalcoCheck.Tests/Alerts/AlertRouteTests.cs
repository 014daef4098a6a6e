using System.Net;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Priority routing at the intake: each sink's queue receives only what passes its route, all or none.</summary>
internal sealed class AlertRouteTests
{
    private static NormalizedAlert Alert(FalcoPriority priority, string rule = "Test rule", string? source = "syscall", params string[] tags) =>
        new(rule, priority, source, "node-1", 0, []) { RuleTags = tags };

    private static IEnumerable<TestCaseData> Routes()
    {
        var critical = new AlertRoute { MinimumPriority = FalcoPriority.Critical };
        yield return new TestCaseData(critical, Alert(FalcoPriority.Emergency), true).SetName("emergency passes critical");
        yield return new TestCaseData(critical, Alert(FalcoPriority.Critical), true).SetName("critical passes critical");
        yield return new TestCaseData(critical, Alert(FalcoPriority.Error), false).SetName("error stops at critical");
        yield return new TestCaseData(AlertRoute.All, Alert(FalcoPriority.Debug), true).SetName("debug passes the default");
        var rules = new AlertRoute { Rules = new HashSet<string>(["Terminal shell in container"]) };
        yield return new TestCaseData(rules, Alert(FalcoPriority.Notice, "Terminal shell in container"), true).SetName("a listed rule");
        yield return new TestCaseData(rules, Alert(FalcoPriority.Notice, "terminal shell in container"), false).SetName("rules match exactly");
        var tags = new AlertRoute { Tags = new HashSet<string>(["T1059", "mitre_execution"]) };
        yield return new TestCaseData(tags, Alert(FalcoPriority.Notice, tags: ["container", "mitre_execution"]), true).SetName("any one tag");
        yield return new TestCaseData(tags, Alert(FalcoPriority.Notice, tags: ["container"]), false).SetName("no listed tag");
        yield return new TestCaseData(tags, Alert(FalcoPriority.Notice), false).SetName("an alert without tags");
        var sources = new AlertRoute { Sources = new HashSet<string>(["k8s_audit"]) };
        yield return new TestCaseData(sources, Alert(FalcoPriority.Notice, source: "k8s_audit"), true).SetName("a listed source");
        yield return new TestCaseData(sources, Alert(FalcoPriority.Notice, source: null), false).SetName("an alert without source");
        var both = new AlertRoute { MinimumPriority = FalcoPriority.Warning, Sources = new HashSet<string>(["syscall"]) };
        yield return new TestCaseData(both, Alert(FalcoPriority.Notice), false).SetName("every filter must pass");
    }

    [TestCaseSource(nameof(Routes))]
    public void Admits(AlertRoute route, NormalizedAlert alert, bool expected) => Assert.That(route.Admits(alert), Is.EqualTo(expected));

    [Test]
    public void The_normalizer_keeps_the_rule_tags_for_the_tag_filter()
    {
        Assert.That(AlertBodyReader.Read(Utf8(Numbered(1)), Context()).Alerts.Single().RuleTags, Is.EqualTo(new[] { "T1059" }));
    }

    private static FileSinkConfig Sink(string name, AlertRoute route) => new(new SourcePosition("test", 1, 1), name) { Route = route };

    [Test]
    public async Task Each_sink_receives_only_what_passes_its_route()
    {
        var pager = new RecordingLogSink();
        var everything = new RecordingLogSink();
        var audit = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(
            c => c with
            {
                Sinks =
                [
                    Sink("pager", new AlertRoute { MinimumPriority = FalcoPriority.Critical }),
                    Sink("all", AlertRoute.All),
                    Sink("audit", new AlertRoute { Sources = new HashSet<string>(["k8s_audit"]) }),
                ],
            },
            c => ((FileSinkConfig)c).Path.EndsWith("pager", StringComparison.Ordinal) ? pager
                : ((FileSinkConfig)c).Path.EndsWith("all", StringComparison.Ordinal) ? everything : audit).StartAsync();

        string[] priorities = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"];
        string body = string.Join('\n', priorities.Select((p, i) => Numbered(i + 1, p)));
        using HttpResponseMessage response = await harness.PostAsync(body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(() => everything.Entries.Count == 8 && pager.Entries.Count == 3, "both sinks delivered");
        Assert.That(pager.Entries.Select(Number), Is.EqualTo(new[] { 1, 2, 3 }), "Critical and above");
        Assert.That(everything.Entries.Select(Number), Is.EqualTo(Enumerable.Range(1, 8)));
        Assert.That(audit.Entries, Is.Empty, "no k8s_audit alert was sent");
        Assert.That(harness.Pipeline.Sinks[2].Counts.Received, Is.Zero, "the audit sink's queue never saw them");
    }

    /// <summary>A pager (Critical and above) and a sink for everything, each with a queue of 2 alerts and a spool of 3.</summary>
    private static Task<AlertHarness> PagerAndAllAsync(RecordingLogSink pager, RecordingLogSink everything)
    {
        int line = Document(AlertBodyReader.Read(Utf8(Numbered(1, "Critical")), Context()).Alerts[0]).GetRawText().Length + 1;
        return new AlertHarness(
            c => c with
            {
                QueueSize = 2,
                SpoolMaxBytes = (3 * line) + 10,
                Sinks = [Sink("pager", new AlertRoute { MinimumPriority = FalcoPriority.Critical }), Sink("all", AlertRoute.All)],
            },
            c => ((FileSinkConfig)c).Path.EndsWith("pager", StringComparison.Ordinal) ? pager : everything).StartAsync();
    }

    [Test]
    public async Task A_full_sink_drops_alerts_for_itself_only_and_the_other_sink_receives_every_one()
    {
        // The pager never answers and its queue and spool hold a few alerts; the other sink delivers everything.
        var pager = new RecordingLogSink { Answer = () => DeliveryOutcome.Retry("pager down") };
        var everything = new RecordingLogSink();
        await using AlertHarness harness = await PagerAndAllAsync(pager, everything);

        for (int i = 1; i <= 60; i++)
        {
            using HttpResponseMessage response = await harness.PostAsync(Numbered(i, i <= 30 ? "Critical" : "Warning"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"alert {i}: the other sink took it");
        }

        await Eventually.TrueAsync(() => everything.Entries.Count == 60, "the other sink got every alert");
        Assert.That(everything.Entries.Select(Number), Is.EqualTo(Enumerable.Range(1, 60)));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Received, Is.EqualTo(30), "the pager was offered every critical");
        Assert.That(harness.Pipeline.Sinks[0].Counts.Dropped, Is.GreaterThan(0), "what fit neither its queue nor its spool is counted as dropped");
        Assert.That(harness.Pipeline.Sinks[0].Counts.LastDropReason, Does.Contain("spool full"));
        Assert.That(harness.Pipeline.Sinks[1].Counts.Dropped, Is.Zero);
    }

    [Test]
    public async Task Only_when_no_routed_sink_has_room_is_the_body_refused_and_then_nothing_is_queued()
    {
        // Both sinks never answer; criticals go to both, warnings to the second only.
        var pager = new RecordingLogSink { Answer = () => DeliveryOutcome.Retry("pager down") };
        var everything = new RecordingLogSink { Answer = () => DeliveryOutcome.Retry("intake down") };
        await using AlertHarness harness = await PagerAndAllAsync(pager, everything);

        var statuses = new List<HttpStatusCode>();
        for (int i = 1; i <= 12; i++)
        {
            using HttpResponseMessage response = await harness.PostAsync(Numbered(i, "Warning"));
            statuses.Add(response.StatusCode);
        }

        long received = harness.Pipeline.Sinks[1].Counts.Received;
        using HttpResponseMessage critical = await harness.PostAsync(Numbered(13, "Critical"));

        int accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.That(statuses.Skip(accepted), Is.Not.Empty.And.All.EqualTo(HttpStatusCode.ServiceUnavailable), "warnings refused once their one sink is full");
        Assert.That(critical.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the pager still had room for the critical");
        Assert.That(harness.Pipeline.Sinks[1].Counts.Received, Is.EqualTo(received + 1), "the full sink was offered it and dropped for itself");
        Assert.That(harness.Pipeline.Sinks[1].Counts.Dropped, Is.EqualTo(1));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Received, Is.EqualTo(1));
    }

    [Test]
    public async Task A_followed_file_keeps_flowing_to_the_healthy_sink_while_another_is_full()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        File.WriteAllText(events, string.Concat(Enumerable.Range(1, 200).Select(n => Numbered(n) + "\n")));
        var stuck = new RecordingLogSink { Answer = () => DeliveryOutcome.Retry("down") };
        var healthy = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(
            c => c with
            {
                Http = null,
                Files = [events],
                QueueSize = 2,
                SpoolMaxBytes = 64 * 1024,
                Sinks = [Sink("stuck", AlertRoute.All), Sink("healthy", AlertRoute.All)],
            },
            c => ((FileSinkConfig)c).Path.EndsWith("stuck", StringComparison.Ordinal) ? stuck : healthy, stateDir: dir.Path).StartAsync();

        // Three chunks: the first is in delivery to the stuck sink, the second waits, the third finds its queue and
        // its spool (64 KiB, less than the waiting chunk) full.
        await Eventually.TrueAsync(() => healthy.Entries.Count == 200, "the first chunk");
        File.AppendAllText(events, string.Concat(Enumerable.Range(201, 300).Select(n => Numbered(n) + "\n")));
        await Eventually.TrueAsync(() => healthy.Entries.Count == 500, "the second chunk");
        File.AppendAllText(events, string.Concat(Enumerable.Range(501, 100).Select(n => Numbered(n) + "\n")));

        await Eventually.TrueAsync(() => healthy.Entries.Count == 600, "the healthy sink got every line of the file");
        Assert.That(healthy.Entries.Select(Number), Is.EqualTo(Enumerable.Range(1, 600)));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Dropped, Is.GreaterThan(0));
    }
}
