using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Webhook;
using FalcoCheck.Tests.Support;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Reading a queued (or spooled, maybe hand-edited) alert document back, as the alert sinks do.</summary>
internal sealed class AlertDocumentTests
{
    private const string BadTimestamp = "{\"rule\":\"Test rule\",\"priority\":\"Warning\",\"timestamp_ns\":\"soon\",\"message\":\"edited by hand\"}";

    [TestCase("\"soon\"")]
    [TestCase("1.5")]
    [TestCase("null")]
    [TestCase("{}")]
    public void A_timestamp_that_is_not_an_integer_makes_the_document_unreadable_and_says_why(string timestamp)
    {
        string document = "{\"rule\":\"Test rule\",\"priority\":\"Warning\",\"timestamp_ns\":" + timestamp + "}";

        AlertDocument? alert = AlertDocument.Parse(Utf8(document), out string? error);

        Assert.That(alert, Is.Null);
        Assert.That(error, Does.Contain("timestamp_ns"));
    }

    [Test]
    public async Task A_corrupt_queued_line_is_skipped_and_counted_and_the_sink_goes_on_delivering()
    {
        var bodies = new ConcurrentQueue<string>();
        await using var server = new TestHttpServer(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            bodies.Enqueue(Encoding.UTF8.GetString(body.ToArray()));
            await TestHttpServer.WriteAsync(context, "ok"u8.ToArray());
        });
        var url = new Uri($"http://127.0.0.1:{server.Port}/hook");
        await using AlertHarness harness = await new AlertHarness(c => c with
        {
            Sinks =
            [
                new WebhookSinkConfig(new SourcePosition("test", 1, 1), new WebhookOptions
                {
                    Endpoint = new HttpEndpointOptions { Url = url, DisplayName = WebhookOptions.DisplayName(url) },
                    Format = WebhookFormat.Slack,
                }),
            ],
        }).StartAsync();

        // What the spool hands back for a line edited by hand, ahead of good alerts.
        harness.Pipeline.Sinks[0].Enqueue(new LogBatch([Utf8(BadTimestamp)]));
        using HttpResponseMessage response = await harness.PostAsync(Numbered(1) + "\n" + Numbered(2));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(() => bodies.Count == 2, "both good alerts delivered after the bad line");
        Assert.That(harness.Pipeline.Sinks[0].Counts.Dropped, Is.EqualTo(1), "the bad line is counted");
        Assert.That(harness.Pipeline.Sinks[0].Counts.LastDropReason, Does.Contain("timestamp_ns"));
    }
}
