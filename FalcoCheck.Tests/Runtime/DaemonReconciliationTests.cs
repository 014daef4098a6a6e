using System.Text;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// The reconciliation end to end: the daemon scrapes a replayed Falco whose rule matches rise by one per scrape,
/// Falco's alerts are POSTed to the daemon's receiver, and the gauges are read back from the file sink.
/// </summary>
internal sealed class DaemonReconciliationTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>Falco 0.41's evt_hostname and one rule's matches, as the recorded alert names them (host falco-xczjd).</summary>
    private const string Payload =
        "# HELP falcosecurity_evt_hostname_info https://falco.org/docs/metrics/\n" +
        "# TYPE falcosecurity_evt_hostname_info gauge\n" +
        "falcosecurity_evt_hostname_info{hostname=\"falco-xczjd\"} 1\n" +
        "# HELP falcosecurity_falco_rules_matches_total https://falco.org/docs/metrics/\n" +
        "# TYPE falcosecurity_falco_rules_matches_total counter\n" +
        "falcosecurity_falco_rules_matches_total{priority=\"2\",rule_name=\"Terminal shell in container\",source=\"syscall\",tag_container=\"true\",tag_shell=\"true\"} 5\n";

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(2, 0.0, 1.0).SetName("Every alert delivered: nothing unreceived");
        yield return new TestCaseData(1, 1.0, 0.5).SetName("One alert of two lost: one unreceived");
        yield return new TestCaseData(0, 2.0, 0.0).SetName("No alert at all: every match unreceived");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task The_gauges_compare_the_matches_scraped_with_the_alerts_received(int delivered, double unreceived, double ratio)
    {
        await using var replay = ReplayServer.Start(new Dictionary<string, string> { ["falco"] = Payload });
        var alertsPort = TestHttpServer.FreePort();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {replay.BaseUrl}/falco/metrics\n    min_collection_interval: 15\n",
            "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n" +
            $"alerts:\n  http:\n    listen: 127.0.0.1:{alertsPort}\n  metrics_interval: 15\n  sinks:\n    - type: file\n      path: ./alerts.jsonl\n");
        await using var daemon = await DaemonHarness.StartAsync(config);
        var (agent, _) = config.Load();
        Assert.That(daemon.Daemon.Reconciliation, Is.Not.Null, "alerts are configured");
        await using var pipeline = new AlertPipeline(agent, agent.Alerts!, [new DaemonMetricSink(daemon.Daemon)], NullLoggerFactory.Instance,
            daemon.Clock, TextWriter.Null, reconciliation: daemon.Daemon.Reconciliation);
        await pipeline.StartAsync(CancellationToken.None);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        // The first scrape sets the counter's baseline (5); each later one counts one match, whose alert Falco
        // sends right away, before the scrape that counts it.
        await daemon.AdvanceAsync(Interval, (0, 1));
        for (var run = 2; run <= 3; run++)
        {
            if (run - 1 <= delivered)
            {
                await PostAlertAsync(client, alertsPort);
            }

            await daemon.AdvanceAsync(Interval, (0, run));
        }

        await pipeline.StopAsync(CancellationToken.None);
        await daemon.StopAsync();

        Assert.That(replay["falco"].Renders, Is.EqualTo(3), "three scrapes: a baseline and two matches counted");
        var written = daemon.Written();
        Assert.Multiple(() =>
        {
            Assert.That(Last(written, "falco.rules.matches.count").Sum(p => p.GetProperty("value").GetDouble()), Is.EqualTo(2));
            var gauge = Last(written, AlertReconciliation.Unreceived);
            Assert.That(gauge.Select(p => p.GetProperty("value").GetDouble()), Is.EqualTo(new[] { unreceived }));
            Assert.That(gauge.Select(p => p.GetProperty("host").GetString()), Is.EqualTo(new[] { "falco-xczjd" }), "Falco's own host, as the alert says");
            Assert.That(gauge.SelectMany(CheckRun.Tags), Does.Contain("rule_name:Terminal shell in container"));
            Assert.That(gauge.Select(p => p.GetProperty("type").GetString()), Is.EqualTo(new[] { "gauge" }));
            Assert.That(Last(written, AlertReconciliation.ReceivedRatio).Select(p => p.GetProperty("value").GetDouble()), Is.EqualTo(new[] { ratio }));
        });
    }

    private static async Task PostAlertAsync(HttpClient client, int port)
    {
        using var body = new StringContent(Alerts.AlertSamples.OneLine, Encoding.UTF8, "application/json");
        using var answer = await client.PostAsync(new Uri($"http://127.0.0.1:{port}/"), body);
        Assert.That((int)answer.StatusCode, Is.EqualTo(200), await answer.Content.ReadAsStringAsync());
    }

    /// <summary>The points of <paramref name="name"/> at the last timestamp it was written for (matches: every count).</summary>
    private static List<JsonElement> Last(List<JsonElement> written, string name)
    {
        var points = written.Where(p => p.TryGetProperty("metric", out var m) && m.GetString() == name).ToList();
        if (name == "falco.rules.matches.count" || points.Count == 0)
        {
            return points;
        }

        var last = points.Max(p => p.GetProperty("timestamp").GetInt64());
        return [.. points.Where(p => p.GetProperty("timestamp").GetInt64() == last).TakeLast(1)];
    }
}
