using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Webhook;
using FalcoCheck.Tests.Support;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>The webhook sink against a loopback intake: one POST per alert, presets' shapes, and a URL that never shows.</summary>
internal sealed class WebhookSinkTests
{
    private const string TokenPath = "/services/T0FALCO/B0CHECK/s3cr3tWebhookT0ken";

    private sealed class Intake : IAsyncDisposable
    {
        private readonly TestHttpServer _server;

        public Intake()
        {
            _server = new TestHttpServer(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (Interlocked.Decrement(ref _failures) >= 0)
                {
                    // A server quoting the request back in its error, as some proxies do.
                    await TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes("upstream failed for " + context.Request.Url), status: 502);
                    return;
                }

                Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                await TestHttpServer.WriteAsync(context, "ok"u8.ToArray());
            });
        }

        private int _failures;

        public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Requests { get; } = new();

        public Uri Url => new($"http://127.0.0.1:{_server.Port}{TokenPath}");

        public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private static AlertHarness Harness(Intake intake, WebhookFormat format) => new(c => c with
    {
        Sinks =
        [
            new WebhookSinkConfig(new SourcePosition("test", 1, 1), new WebhookOptions
            {
                Endpoint = new HttpEndpointOptions { Url = intake.Url, DisplayName = WebhookOptions.DisplayName(intake.Url) },
                Format = format,
            }),
        ],
    });

    [Test]
    public async Task Json_posts_each_normalized_alert_as_it_is()
    {
        await using var intake = new Intake();
        await using AlertHarness harness = await Harness(intake, WebhookFormat.Json).StartAsync();

        using HttpResponseMessage response = await harness.PostAsync(string.Join('\n', Enumerable.Range(1, 5).Select(n => Numbered(n))));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(() => intake.Requests.Count == 5, "five requests");
        Assert.That(intake.Requests.Select(r => r.Path), Has.All.EqualTo(TokenPath));
        Assert.That(intake.Requests.Select(r => r.ContentType), Has.All.EqualTo("application/json"));
        Assert.That(intake.Requests.Select(r => Number(r.Body)), Is.EqualTo(Enumerable.Range(1, 5)), "one alert per request, in order");
        JsonElement document = JsonDocument.Parse(intake.Requests.First().Body).RootElement;
        Assert.That(document.GetProperty("rule").GetString(), Is.EqualTo("Test rule"));
        Assert.That(document.GetProperty("status").GetString(), Is.EqualTo("warning"));
    }

    [Test]
    public async Task Slack_gets_text_and_an_attachment_in_the_priority_colour()
    {
        await using var intake = new Intake();
        await using AlertHarness harness = await Harness(intake, WebhookFormat.Slack).StartAsync();

        using HttpResponseMessage response = await harness.PostAsync(Numbered(7, "Critical"));

        await Eventually.TrueAsync(() => intake.Requests.Count == 1, "one request");
        JsonElement body = JsonDocument.Parse(intake.Requests.Single().Body).RootElement;
        Assert.That(body.GetProperty("text").GetString(), Is.EqualTo("alert 7"));
        JsonElement attachment = body.GetProperty("attachments").EnumerateArray().Single();
        Assert.That(attachment.GetProperty("color").GetString(), Is.EqualTo("#ff9000"));
        var fields = attachment.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());
        Assert.That(fields, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["rule"] = "Test rule", ["priority"] = "critical", ["source"] = "syscall", ["hostname"] = "node-1", ["tags"] = "T1059",
        }));
    }

    [Test]
    public async Task The_url_never_shows_in_the_sink_name_or_its_errors_and_a_failed_post_is_retried_once_delivered()
    {
        await using var intake = new Intake();
        intake.FailNext(int.MaxValue);
        await using AlertHarness harness = await Harness(intake, WebhookFormat.Json).StartAsync();
        DeliveryQueue<FalcoCheck.Sinks.Logs.LogBatch> sink = harness.Pipeline.Sinks[0];

        using HttpResponseMessage response = await harness.PostAsync(Numbered(1));

        await Eventually.TrueAsync(() => sink.Counts.Retried >= 2, "two refused attempts");
        string? error = sink.LastError;
        intake.FailNext(0);
        await Eventually.TrueAsync(() => intake.Requests.Count == 1, "delivered once the server recovers");
        Assert.That(sink.Name, Is.EqualTo($"webhook:http://127.0.0.1:{intake.Url.Port}"));
        Assert.That(error, Does.Contain("502").And.Contain("upstream failed for"), "the server's answer is kept");
        Assert.That(error, Does.Not.Contain("s3cr3tWebhookT0ken").And.Not.Contain("B0CHECK"), "but not the URL it quoted");
        Assert.That(sink.Counts.Sent, Is.EqualTo(1));
        Assert.That(sink.Counts.Dropped, Is.Zero);
    }
}
