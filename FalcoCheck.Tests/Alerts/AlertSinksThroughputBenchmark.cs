using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Webhook;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// 1,000 alerts a second for 30 s (all eight priorities in turn) into the receiver, routed to the real Alertmanager
/// (Critical and above) and to a loopback webhook (everything, one request per alert). Prints the rate taken, how
/// long delivery lagged and the peak working set; asserts every sink got every alert of its route exactly once. Not in
/// the suite (<c>TestCategory!=Benchmark</c>):
/// <c>dotnet test FalcoCheck.Tests -c Release --filter Name=Alerts_at_1000_per_second_reach_alertmanager_and_a_webhook_exactly_once --logger "console;verbosity=detailed"</c>
/// </summary>
[Category("Benchmark")]
[NonParallelizable]
internal sealed class AlertSinksThroughputBenchmark
{
    private static readonly string[] Priorities = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"];

    [Test]
    public async Task Alerts_at_1000_per_second_reach_alertmanager_and_a_webhook_exactly_once()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("FALCOCHECK_BENCH_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 30;
        const int PerBody = 100;
        const int PerSecond = 1000;
        await using var alertmanager = await AlertmanagerServer.StartAsync();
        var hooked = new ConcurrentDictionary<int, int>();
        await using var webhook = new TestHttpServer(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            hooked.AddOrUpdate(Number(body.ToArray()), 1, (_, n) => n + 1);
            context.Response.StatusCode = 200;
            context.Response.Close();
        });
        var webhookUrl = new Uri($"http://127.0.0.1:{webhook.Port}/hook");
        var position = new SourcePosition("bench", 1, 1);
        await using AlertHarness harness = await new AlertHarness(c => c with
        {
            Sinks =
            [
                new AlertmanagerSinkConfig(position, new AlertmanagerOptions
                {
                    Endpoint = new HttpEndpointOptions { Url = new Uri(alertmanager.BaseUrl), DisplayName = alertmanager.BaseUrl },
                }) { Route = new AlertRoute { MinimumPriority = FalcoPriority.Critical } },
                new WebhookSinkConfig(position, new WebhookOptions
                {
                    Endpoint = new HttpEndpointOptions { Url = webhookUrl, DisplayName = WebhookOptions.DisplayName(webhookUrl) },
                }),
            ],
        }).StartAsync();

        int total = seconds * PerSecond;
        long peak = 0;
        var clock = Stopwatch.StartNew();
        for (int from = 1; from <= total; from += PerBody)
        {
            var body = new StringBuilder();
            for (int n = from; n < from + PerBody; n++)
            {
                body.Append(Alert(n)).Append('\n');
            }

            using HttpResponseMessage response = await harness.PostAsync(body.ToString());
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var due = TimeSpan.FromSeconds((double)(from + PerBody - 1) / PerSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            peak = Math.Max(peak, Environment.WorkingSet);
        }

        TimeSpan sent = clock.Elapsed;
        int critical = Enumerable.Range(1, total).Count(n => (n - 1) % 8 <= 2);
        await Eventually.TrueAsync(() => hooked.Count == total, "every alert at the webhook", seconds: 300);
        await Eventually.TrueAsync(async () => await alertmanager.ReceivedAsync() >= critical, "the critical alerts in Alertmanager", seconds: 300);
        TimeSpan delivered = clock.Elapsed;
        await Task.Delay(1000);

        TestContext.Out.WriteLine($"{total} alerts in {sent.TotalSeconds:F1} s ({total / sent.TotalSeconds:F0}/s); all delivered {(delivered - sent).TotalSeconds:F1} s after the last; "
            + $"alertmanager {critical} alerts in {harness.Pipeline.Sinks[0].Counts.Sent} sent, webhook {total} requests; peak working set {peak / (1024 * 1024)} MiB");
        Assert.That(await alertmanager.ReceivedAsync(), Is.EqualTo(critical), "Alertmanager got each critical alert once");
        Assert.That(hooked.Values, Has.All.EqualTo(1), "the webhook got each alert once");
        Assert.That(harness.Pipeline.Sinks.Select(q => q.Counts.Dropped), Has.All.Zero);
    }

    private static string Alert(int n) =>
        "{\"hostname\":\"node-1\",\"output\":\"alert " + n.ToString(CultureInfo.InvariantCulture) + "\",\"priority\":\"" + Priorities[(n - 1) % 8]
        + "\",\"rule\":\"Rule " + n.ToString(CultureInfo.InvariantCulture) + "\",\"source\":\"syscall\",\"tags\":[\"T1059\"],\"time\":\""
        + DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)
        + "\",\"output_fields\":{\"n\":" + n.ToString(CultureInfo.InvariantCulture) + ",\"k8s.ns.name\":\"prod\"}}";

    private static int Number(byte[] document) => AlertSamples.Number(document);
}
