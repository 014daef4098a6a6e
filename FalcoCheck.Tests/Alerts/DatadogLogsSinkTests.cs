using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>The Datadog logs sink against a loopback intake that checks the v2 shape: batches, outages, restarts.</summary>
internal sealed class DatadogLogsSinkTests
{
    private const string ApiKey = "0123456789abcdef0123456789abcdef";

    private static AlertHarness Harness(DatadogLogsIntake intake, string? stateDir = null) => Harness(intake.Url, stateDir);

    private static AlertHarness Harness(Uri intake, string? stateDir = null) => new(
        c => c with { Sinks = [new DatadogLogsSinkConfig(new SourcePosition("test", 1, 1), new Secret(ApiKey), intake, TimeSpan.FromSeconds(5))] },
        stateDir: stateDir);

    private static async Task PostNumberedAsync(AlertHarness harness, int from, int count, int perBody = 250)
    {
        for (int start = from; start < from + count; start += perBody)
        {
            string body = string.Join('\n', Enumerable.Range(start, Math.Min(perBody, from + count - start)).Select(n => Numbered(n)));
            using HttpResponseMessage response = await harness.PostAsync(body);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
    }

    private static int[] Numbers(DatadogLogsIntake intake) =>
        [.. intake.Logs.Select(l => l.GetProperty("output_fields").GetProperty("n").GetInt32()).Order()];

    [Test]
    public async Task Alerts_arrive_in_the_v2_shape_in_batches_of_at_most_1000()
    {
        await using var intake = new DatadogLogsIntake(ApiKey);
        await using AlertHarness harness = await Harness(intake).StartAsync();

        await PostNumberedAsync(harness, 1, 2500);

        await Eventually.TrueAsync(() => intake.Logs.Count >= 2500, "2500 logs at the intake");
        Assert.That(intake.Violations, Is.Empty);
        Assert.That(Numbers(intake), Is.EqualTo(Enumerable.Range(1, 2500)));
        Assert.That(intake.BatchSizes, Has.All.InRange(1, 1000));
        JsonElement log = intake.Logs[0];
        Assert.Multiple(() =>
        {
            Assert.That(log.GetProperty("ddsource").GetString(), Is.EqualTo("falco"));
            Assert.That(log.GetProperty("service").GetString(), Is.EqualTo("falco"));
            Assert.That(log.GetProperty("hostname").GetString(), Is.EqualTo("node-1"));
            Assert.That(log.GetProperty("status").GetString(), Is.EqualTo("warning"));
            Assert.That(log.GetProperty("ddtags").GetString(), Does.Contain("env:test,rule_name:Test rule,priority_name:warning"));
            Assert.That(log.GetProperty("timestamp").GetInt64(), Is.EqualTo(1730281682285));
        });
    }

    [Test]
    public async Task An_intake_outage_loses_no_alert_and_sends_none_twice()
    {
        var intake = new DatadogLogsIntake(ApiKey);
        int port = intake.Port;
        await using AlertHarness harness = await Harness(intake).StartAsync();

        await PostNumberedAsync(harness, 1, 50, perBody: 10);
        await Eventually.TrueAsync(() => intake.Logs.Count == 50, "the first 50 delivered");
        await intake.DisposeAsync();

        // The intake is gone (connection refused): alerts keep being accepted, into memory and then the spool.
        await PostNumberedAsync(harness, 51, 3000, perBody: 100);
        await using var back = new DatadogLogsIntake(ApiKey, port);
        await PostNumberedAsync(harness, 3051, 50, perBody: 10);

        await Eventually.TrueAsync(() => back.Logs.Count >= 3050, "the rest delivered after the intake came back");
        Assert.That(Numbers(intake).Concat(Numbers(back)).Order(), Is.EqualTo(Enumerable.Range(1, 3100)), "every alert exactly once");
        Assert.That(back.Violations, Is.Empty);
        Assert.That(harness.Pipeline.Sinks[0].Counts.Retried, Is.GreaterThan(0));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Dropped, Is.Zero);
    }

    [Test]
    public async Task A_503_storm_is_retried_and_a_400_is_dropped_and_counted()
    {
        await using var intake = new DatadogLogsIntake(ApiKey) { FailWith = HttpStatusCode.ServiceUnavailable };
        await using AlertHarness harness = await Harness(intake).StartAsync();

        await PostNumberedAsync(harness, 1, 5, perBody: 1);
        await Eventually.TrueAsync(() => intake.FailedRequests >= 3, "a few refused attempts");
        intake.FailWith = null;
        await Eventually.TrueAsync(() => intake.Logs.Count == 5, "delivered once the intake recovers");

        intake.FailWith = HttpStatusCode.BadRequest;
        await PostNumberedAsync(harness, 6, 1);
        await Eventually.TrueAsync(() => harness.Pipeline.Sinks[0].Counts.Dropped == 1, "the refused alert counted as dropped");
        intake.FailWith = null;
        await PostNumberedAsync(harness, 7, 1);
        await Eventually.TrueAsync(() => intake.Logs.Count == 6, "the next one delivered");
        Assert.That(Numbers(intake), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 7 }));
    }

    [Test]
    public async Task A_413_halves_the_request_until_it_fits_and_every_request_names_FalcoCheck_and_its_version()
    {
        // An intake (or a proxy in front of it) that takes at most 40 logs per request: the sink's shared HTTP path
        // reads 413 as "split", so 250 alerts arrive in requests of at most 40, none lost, none twice.
        await using var intake = new DatadogLogsIntake(ApiKey) { MaxLogsPerRequest = 40 };
        await using AlertHarness harness = await Harness(intake).StartAsync();

        await PostNumberedAsync(harness, 1, 250);

        await Eventually.TrueAsync(() => intake.Logs.Count >= 250, "250 logs at the intake");
        Assert.That(Numbers(intake), Is.EqualTo(Enumerable.Range(1, 250)), "every alert exactly once");
        Assert.That(intake.TooLargeRequests, Is.GreaterThan(0));
        Assert.That(intake.BatchSizes, Has.All.InRange(1, 40));
        Assert.That(harness.Pipeline.Sinks[0].Counts.Dropped, Is.Zero);
        Assert.That(intake.UserAgents, Has.All.EqualTo("falcocheck/" + FalcoCheck.Sinks.ThisAssembly.Version));
    }

    [Test]
    public async Task Alerts_spooled_when_FalcoCheck_stops_are_sent_after_it_starts_again()
    {
        using var state = new FalcoCheck.Tests.Configuration.TempDir();
        int port = Support.TestHttpServer.FreePort();
        var down = new Uri($"http://127.0.0.1:{port}");
        await using (AlertHarness first = await Harness(down, state.Path).StartAsync())
        {
            await PostNumberedAsync(first, 1, 300, perBody: 100);
        }

        Assert.That(Directory.GetFiles(Path.Combine(state.Path, "spool"), "*.spool", SearchOption.AllDirectories), Is.Not.Empty);
        await using var intake = new DatadogLogsIntake(ApiKey, port);
        await using AlertHarness second = await Harness(intake, state.Path).StartAsync();

        await Eventually.TrueAsync(() => intake.Logs.Count >= 300, "the spooled alerts delivered");
        Assert.That(Numbers(intake), Is.EqualTo(Enumerable.Range(1, 300)));
    }

    private static IEnumerable<TestCaseData> Answers()
    {
        yield return new TestCaseData(HttpStatusCode.Accepted, null, DeliveryStatus.Sent, null).SetName("202 is sent");
        yield return new TestCaseData(HttpStatusCode.OK, null, DeliveryStatus.Sent, null).SetName("200 is sent");
        yield return new TestCaseData(HttpStatusCode.BadRequest, null, DeliveryStatus.Rejected, null).SetName("400 is rejected");
        yield return new TestCaseData(HttpStatusCode.Forbidden, null, DeliveryStatus.Rejected, null).SetName("403 is rejected");
        yield return new TestCaseData(HttpStatusCode.RequestEntityTooLarge, null, DeliveryStatus.Split, null).SetName("413 is split (one entry alone is dropped)");
        yield return new TestCaseData(HttpStatusCode.RequestTimeout, null, DeliveryStatus.Retry, null).SetName("408 is retried");
        yield return new TestCaseData(HttpStatusCode.TooManyRequests, "7", DeliveryStatus.Retry, 7.0).SetName("429 with Retry-After");
        yield return new TestCaseData(HttpStatusCode.InternalServerError, null, DeliveryStatus.Retry, null).SetName("500 is retried");
        yield return new TestCaseData(HttpStatusCode.NotImplemented, null, DeliveryStatus.Rejected, null).SetName("501 is rejected");
        yield return new TestCaseData(HttpStatusCode.ServiceUnavailable, "120", DeliveryStatus.Retry, 120.0).SetName("503 with Retry-After");
    }

    [TestCaseSource(nameof(Answers))]
    public async Task Classifies_the_intakes_answer(HttpStatusCode status, string? retryAfter, DeliveryStatus outcome, double? waitSeconds)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent("{\"errors\":[\"x\"]}") };
        if (retryAfter is not null)
        {
            response.Headers.RetryAfter = RetryConditionHeaderValue.Parse(retryAfter);
        }

        DeliveryOutcome result = RetryClassifier.Classify(response.StatusCode, response.Headers, DateTimeOffset.UtcNow, await response.Content.ReadAsStringAsync());

        Assert.That(result.Status, Is.EqualTo(outcome));
        Assert.That(result.RetryAfter?.TotalSeconds, Is.EqualTo(waitSeconds));
        if (outcome != DeliveryStatus.Sent)
        {
            Assert.That(result.Reason, Does.StartWith($"HTTP {(int)status}").And.Contain("{\"errors\":[\"x\"]}"));
        }
    }

    [Test]
    public void The_encoder_writes_a_gzip_JSON_array_a_real_decoder_reads()
    {
        byte[][] entries = [Encoding.UTF8.GetBytes("{\"message\":\"a\"}"), Encoding.UTF8.GetBytes("{\"message\":\"b\"}")];
        using var body = new MemoryStream();

        DatadogLogsEncoder.Encode(entries.AsSpan(), body);

        using var gzip = new GZipStream(new MemoryStream(body.ToArray()), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.That(Encoding.UTF8.GetString(plain.ToArray()), Is.EqualTo("[{\"message\":\"a\"},{\"message\":\"b\"}]"));
    }

    [Test]
    public async Task The_api_key_is_on_the_wire_and_nowhere_else()
    {
        await using var intake = new DatadogLogsIntake(ApiKey) { FailWith = HttpStatusCode.Unauthorized };
        var config = new DatadogLogsSinkConfig(new SourcePosition("test", 1, 1), new Secret(ApiKey), intake.Url, TimeSpan.FromSeconds(5));
        using var sink = new DatadogLogsSink(config.Options);

        DeliveryOutcome result = (await sink.SendAsync(new LogBatch([Utf8("{}")]), CancellationToken.None)).Outcome;

        Assert.That(result.Status, Is.EqualTo(DeliveryStatus.Rejected));
        Assert.That(result.Reason + sink.Name + config, Does.Not.Contain(ApiKey));
        Assert.That(sink.Name, Is.EqualTo($"datadog_logs:http://127.0.0.1:{intake.Port}/api/v2/logs"));
    }
}
