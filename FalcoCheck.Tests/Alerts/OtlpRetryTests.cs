using System.Collections.Concurrent;
using System.Net;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.Otlp.Protocol;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Tests.Sinks;
using FalcoCheck.Tests.Support;
using Google.Protobuf;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The OTLP/HTTP spec's failure rules (opentelemetry.io/docs/specs/otlp/#failures-1): only 429, 502, 503 and 504
/// are retried; any other 4xx or 5xx drops the request, so one batch a collector cannot take never blocks the next.
/// Remote write's spec narrows the shared rule the same way (no 4xx but 429).
/// </summary>
internal sealed class OtlpRetryTests
{
    /// <summary>A loopback OTLP receiver that answers each request with the next scripted status (200 once the script ends).</summary>
    private sealed class ScriptedReceiver : IAsyncDisposable
    {
        private readonly TestHttpServer _server;
        private readonly ConcurrentQueue<int> _script;

        public ScriptedReceiver(string path, Func<byte[], bool>? fails, params int[] script)
        {
            _script = new ConcurrentQueue<int>(script);
            _server = new TestHttpServer(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Requests.Enqueue(body.ToArray());
                int status = fails is not null ? (fails(body.ToArray()) ? 500 : 200) : _script.TryDequeue(out int next) ? next : 200;
                await TestHttpServer.WriteAsync(context, [], "application/x-protobuf", status);
            });
            Url = new Uri($"http://127.0.0.1:{_server.Port}{path}");
        }

        public Uri Url { get; }

        public ConcurrentQueue<byte[]> Requests { get; } = new();

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private static string[] Bodies(byte[] request) =>
        [.. ExportLogsServiceRequest.Parser.ParseFrom(request).ResourceLogs.SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords).Select(r => r.Body.StringValue)];

    [Test]
    public async Task An_alert_the_collector_answers_500_to_is_dropped_counted_and_the_next_one_goes_through()
    {
        await using var receiver = new ScriptedReceiver("/v1/logs", request => Bodies(request).Contains("alert 1"));
        await using AlertHarness harness = await new AlertHarness(c => c with
        {
            Sinks =
            [
                new OtlpLogsSinkConfig(new SourcePosition("test", 1, 1), new OtlpLogsOptions
                {
                    Endpoint = new HttpEndpointOptions { Url = receiver.Url, DisplayName = receiver.Url.ToString() },
                }),
            ],
        }).StartAsync();
        DeliveryQueue<LogBatch> sink = harness.Pipeline.Sinks[0];

        using (HttpResponseMessage response = await harness.PostAsync(Numbered(1)))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Eventually.TrueAsync(() => !receiver.Requests.IsEmpty, "alert 1 sent");
        using (HttpResponseMessage response = await harness.PostAsync(Numbered(2)))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Eventually.TrueAsync(() => receiver.Requests.Any(r => Bodies(r).Contains("alert 2")), "alert 2 delivered after the 500", seconds: 10);
        await Eventually.TrueAsync(() => sink.Counts.Sent == 1, "alert 2 counted as sent");
        SinkCounts counts = sink.Counts;
        Assert.That((counts.Sent, counts.Dropped), Is.EqualTo((1L, 1L)), "alert 1 dropped and counted, alert 2 sent");
        Assert.That(counts.LastDropReason, Does.Contain("500"));
        Assert.That(receiver.Requests.Count(r => Bodies(r).Contains("alert 1")), Is.EqualTo(1), "a 500 is not sent again");
    }

    private static Batch Points() => new(new Submission("t", [SinkSamples.Rss], []));

    [TestCase(500, DeliveryStatus.Rejected)]
    [TestCase(408, DeliveryStatus.Rejected)]
    [TestCase(505, DeliveryStatus.Rejected)]
    [TestCase(429, DeliveryStatus.Retry)]
    [TestCase(502, DeliveryStatus.Retry)]
    [TestCase(503, DeliveryStatus.Retry)]
    [TestCase(504, DeliveryStatus.Retry)]
    public async Task Otlp_metrics_retry_only_what_the_spec_calls_retryable_then_send_the_next_batch(int status, DeliveryStatus expected)
    {
        await using var receiver = new ScriptedReceiver("/v1/metrics", null, status);
        using var sink = new OtlpSink(new OtlpOptions { Endpoint = new HttpEndpointOptions { Url = receiver.Url, DisplayName = "otlp" } }, TimeProvider.System);

        SendAttempt first = await sink.SendAsync(Points(), CancellationToken.None);
        SendAttempt next = await sink.SendAsync(Points(), CancellationToken.None);

        Assert.That(first.Outcome.Status, Is.EqualTo(expected), first.Outcome.Reason);
        Assert.That(first.Outcome.Reason, Does.StartWith($"HTTP {status} "));
        Assert.That(next.Outcome.Status, Is.EqualTo(DeliveryStatus.Sent));
        Assert.That(receiver.Requests, Has.Count.EqualTo(2));
    }

    /// <summary>Remote-Write 1.0: "MUST NOT retry write requests on HTTP 2xx and 4xx responses other than 429".</summary>
    [TestCase(408, DeliveryStatus.Rejected)]
    [TestCase(400, DeliveryStatus.Rejected)]
    [TestCase(429, DeliveryStatus.Retry)]
    [TestCase(500, DeliveryStatus.Retry)]
    [TestCase(503, DeliveryStatus.Retry)]
    public async Task Remote_write_retries_only_429_and_5xx(int status, DeliveryStatus expected)
    {
        await using var receiver = new ScriptedReceiver("/api/v1/write", null, status);
        using var sink = new FalcoCheck.Sinks.RemoteWrite.RemoteWriteSink(
            new FalcoCheck.Sinks.RemoteWrite.RemoteWriteOptions { Endpoint = new HttpEndpointOptions { Url = receiver.Url, DisplayName = "rw" } }, TimeProvider.System);

        SendAttempt first = await sink.SendAsync(Points(), CancellationToken.None);

        Assert.That(first.Outcome.Status, Is.EqualTo(expected), first.Outcome.Reason);
        Assert.That(first.Outcome.Reason, Does.StartWith($"HTTP {status} "));
    }
}
