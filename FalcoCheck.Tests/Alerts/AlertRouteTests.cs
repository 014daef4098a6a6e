using System.Net;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
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

    [Test]
    public async Task A_full_sink_refuses_only_alerts_it_would_receive_and_then_every_sink_refuses_them()
    {
        // The pager never succeeds and its queue and spool hold a few alerts; the other sink delivers everything.
        var pager = new RecordingLogSink { Answer = () => DeliveryOutcome.Retry("pager down") };
        var everything = new RecordingLogSink();
        int line = Document(AlertBodyReader.Read(Utf8(Numbered(1, "Critical")), Context()).Alerts[0]).GetRawText().Length + 1;
        await using AlertHarness harness = await new AlertHarness(
            c => c with
            {
                QueueSize = 2,
                SpoolMaxBytes = (3 * line) + 10,
                Sinks = [Sink("pager", new AlertRoute { MinimumPriority = FalcoPriority.Critical }), Sink("all", AlertRoute.All)],
            },
            c => ((FileSinkConfig)c).Path.EndsWith("pager", StringComparison.Ordinal) ? pager : everything).StartAsync();

        var statuses = new List<HttpStatusCode>();
        for (int i = 1; i <= 10; i++)
        {
            using HttpResponseMessage response = await harness.PostAsync(Numbered(i, "Critical"));
            statuses.Add(response.StatusCode);
        }

        // Warnings never reach the pager's full queue, so they keep flowing to the other sink.
        for (int i = 11; i <= 60; i++)
        {
            using HttpResponseMessage response = await harness.PostAsync(Numbered(i, "Warning"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"warning {i}");
        }

        int accepted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.That(statuses.Skip(accepted), Is.Not.Empty.And.All.EqualTo(HttpStatusCode.ServiceUnavailable), "criticals refused once the pager is full");
        await Eventually.TrueAsync(() => everything.Entries.Count == accepted + 50, "the other sink got every accepted alert");
        Assert.That(everything.Entries.Select(Number), Is.EqualTo(Enumerable.Range(1, accepted).Concat(Enumerable.Range(11, 50))),
            "a refused critical went to no sink at all");
    }
}
