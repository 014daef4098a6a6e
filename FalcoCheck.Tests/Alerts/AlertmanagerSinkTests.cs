using System.Globalization;
using System.Net;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The alertmanager sink against the real Alertmanager (Debian's <c>prometheus-alertmanager</c>): the alerts are
/// read back through its API v2, and its received counter shows an alert sent twice.
/// </summary>
[NonParallelizable]
internal sealed class AlertmanagerSinkTests
{
    private static readonly string[] Priorities = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"];

    /// <summary>An alert dated now (Alertmanager lists only unresolved alerts) with its own rule, so each is its own alert there.</summary>
    private static string Live(int n, string priority) =>
        "{\"hostname\":\"node-1\",\"output\":\"alert " + n.ToString(CultureInfo.InvariantCulture) + "\",\"priority\":\"" + priority
        + "\",\"rule\":\"Rule " + n.ToString(CultureInfo.InvariantCulture) + "\",\"source\":\"syscall\",\"tags\":[\"T1059\"],\"time\":\""
        + DateTime.UtcNow.AddSeconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)
        + "\",\"output_fields\":{\"k8s.ns.name\":\"prod\",\"k8s.pod.name\":\"web-1\",\"container.id\":\"abc123\",\"proc.cmdline\":\"bash -i\"}}";

    private static AlertHarness Harness(AlertmanagerServer server, AlertRoute route, int queueSize = 2048) => new(c => c with
    {
        QueueSize = queueSize,
        Sinks =
        [
            new AlertmanagerSinkConfig(new SourcePosition("test", 1, 1), new AlertmanagerOptions
            {
                Endpoint = new HttpEndpointOptions { Url = new Uri(server.BaseUrl), DisplayName = server.BaseUrl },
                ExtraLabels = new Dictionary<string, string> { ["team"] = "sec", ["alertname"] = "not this" },
            }) { Route = route },
        ],
    });

    private static async Task PostAsync(AlertHarness harness, int from, int count, Func<int, string> priority)
    {
        for (int n = from; n < from + count; n++)
        {
            using HttpResponseMessage response = await harness.PostAsync(Live(n, priority(n)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    private static int[] Rules(IEnumerable<JsonElement> alerts) =>
        [.. alerts.Select(a => int.Parse(a.GetProperty("labels").GetProperty("alertname").GetString()!["Rule ".Length..], CultureInfo.InvariantCulture)).Order()];

    [Test]
    public async Task Alerts_at_or_above_the_minimum_priority_arrive_with_their_labels_and_annotations()
    {
        await using var server = await AlertmanagerServer.StartAsync();
        await using AlertHarness harness = await Harness(server, new AlertRoute { MinimumPriority = FalcoPriority.Critical }).StartAsync();

        await PostAsync(harness, 1, 16, n => Priorities[(n - 1) % 8]);

        // Critical and above: n % 8 in 1, 2, 3.
        int[] expected = [.. Enumerable.Range(1, 16).Where(n => (n - 1) % 8 <= 2)];
        await Eventually.TrueAsync(async () => (await server.AlertsAsync()).Count >= expected.Length, "the critical alerts in Alertmanager");
        List<JsonElement> alerts = await server.AlertsAsync();
        Assert.That(Rules(alerts), Is.EqualTo(expected));
        Assert.That(await server.ReceivedAsync(), Is.EqualTo(expected.Length), "each sent once, the rest never");
        JsonElement first = alerts.Single(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "Rule 1");
        var labels = first.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.That(labels, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["alertname"] = "Rule 1", ["priority"] = "emergency", ["severity"] = "critical", ["source"] = "syscall", ["hostname"] = "node-1",
            ["k8s_ns_name"] = "prod", ["k8s_pod_name"] = "web-1", ["container_id"] = "abc123", ["team"] = "sec",
        }));
        Assert.That(first.GetProperty("annotations").GetProperty("output").GetString(), Is.EqualTo("alert 1"));
        Assert.That(first.GetProperty("annotations").GetProperty("description").GetString(), Is.EqualTo("alert 1"));
        Assert.That(harness.Pipeline.Sinks[0].Name, Is.EqualTo($"alertmanager:{server.BaseUrl}/api/v2/alerts"));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Sent, Is.EqualTo(expected.Length));
    }

    [Test]
    public async Task A_stopped_alertmanager_loses_nothing_and_gets_nothing_twice_when_it_comes_back()
    {
        await using var server = await AlertmanagerServer.StartAsync();
        // A queue of 5: during the outage most alerts wait in the disk spool.
        await using AlertHarness harness = await Harness(server, AlertRoute.All, queueSize: 5).StartAsync();

        await PostAsync(harness, 1, 20, _ => "Critical");
        await Eventually.TrueAsync(async () => (await server.AlertsAsync()).Count == 20, "the first 20 in Alertmanager");
        Assert.That(await server.ReceivedAsync(), Is.EqualTo(20));

        await server.StopAsync();
        await PostAsync(harness, 21, 60, _ => "Warning");
        await Eventually.TrueAsync(() => harness.Pipeline.Sinks[0].Counts.Retried > 0, "the sink retrying");
        Assert.That(harness.Pipeline.Sinks[0].Counts.SpoolBytes, Is.GreaterThan(0), "the outage's alerts wait on disk");
        await server.RestartAsync();

        // Alertmanager keeps no alerts across a restart: it holds exactly what was sent after it came back.
        await Eventually.TrueAsync(async () => (await server.AlertsAsync()).Count >= 60, "the outage's 60 alerts in Alertmanager");
        await Task.Delay(500);
        Assert.That(Rules(await server.AlertsAsync()), Is.EqualTo(Enumerable.Range(21, 60)), "every alert of the outage");
        Assert.That(await server.ReceivedAsync(), Is.EqualTo(60), "none of the first 20 again, none of the 60 twice");
        Assert.That(harness.Pipeline.Sinks[0].Counts.Dropped, Is.Zero);
    }
}
