using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks.Otlp.Protocol;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Integration;

/// <summary>
/// The sinks no server here can receive: Datadog's v2 series and check_run intake (VictoriaMetrics 1.79 answers
/// 400 to /datadog/api/v2/series) and OTLP (no collector is installable). A loopback HTTP intake records each
/// request and the test decodes it as documented: System.Text.Json for Datadog's v2 schema, the Google.Protobuf
/// types generated from the official OTLP .proto for OTLP. A real <c>check --rate</c> over the replay feeds them.
/// </summary>
internal sealed class LoopbackIntakeTests
{
    private const string ApiKey = "0123456789abcdef0123456789abcdef";

    private static readonly CheckRunOptions Rate = new() { Json = true, Rate = true, RateInterval = TimeSpan.FromMilliseconds(300) };

    private static async Task<(TestHttpServer Server, ConcurrentQueue<RecordedRequest> Requests)> IntakeAsync(Func<int, int>? status = null)
    {
        var requests = new ConcurrentQueue<RecordedRequest>();
        int count = 0;
        var server = new TestHttpServer(async context =>
        {
            requests.Enqueue(await RecordedRequest.ReadAsync(context));
            int code = status?.Invoke(Interlocked.Increment(ref count)) ?? 202;
            await TestHttpServer.WriteAsync(context, "{\"errors\":[\"Forbidden\"]}"u8.ToArray(), "application/json", code);
        });
        return (server, requests);
    }

    [TestCase("gzip")]
    [TestCase("deflate")]
    [TestCase("zstd")]
    [TestCase("none")]
    public async Task Datadog_v2_series_and_check_run_arrive_as_documented(string compression)
    {
        await using var replay = ReplayServer.StartEmbedded();
        var (intake, requests) = await IntakeAsync();
        await using var _ = intake;
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"api_key: {ApiKey}\nsinks:\n  - type: datadog\n    url: http://127.0.0.1:{intake.Port}\n    compression: {compression}\n");

        var run = await CheckRun.RunAsync(config, Rate);

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        var series = requests.Where(r => r.Path == "/api/v2/series").ToList();
        var checks = requests.Where(r => r.Path == "/api/v1/check_run").ToList();
        Assert.That(series, Is.Not.Empty);
        Assert.That(checks, Has.Count.EqualTo(1));
        foreach (var request in requests)
        {
            Assert.That(request.Headers["DD-API-KEY"], Is.EqualTo(ApiKey));
            Assert.That(request.Headers["Content-Type"], Is.EqualTo("application/json"));
        }

        Assert.That(series[0].Headers["Content-Encoding"], Is.EqualTo(compression switch { "none" => null, "zstd" => "zstd1", _ => compression }));
        var sent = series.SelectMany(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("series").EnumerateArray()).ToList();
        var submitted = run.Metrics;
        Assert.That(sent, Has.Count.EqualTo(submitted.Count));
        for (int i = 0; i < sent.Count; i++)
        {
            var (wire, printed) = (sent[i], submitted[i]);
            bool count = printed.GetProperty("type").GetString() == "count";
            Assert.That(wire.GetProperty("metric").GetString(), Is.EqualTo(printed.GetProperty("metric").GetString()));
            Assert.That(wire.GetProperty("type").GetInt32(), Is.EqualTo(count ? 1 : 3));
            Assert.That(wire.GetProperty("points")[0].GetProperty("value").GetDouble(), Is.EqualTo(printed.GetProperty("value").GetDouble()));
            Assert.That(wire.GetProperty("points")[0].GetProperty("timestamp").GetInt64(), Is.EqualTo(printed.GetProperty("timestamp").GetInt64()));
            Assert.That(wire.GetProperty("resources")[0].GetProperty("name").GetString(), Is.EqualTo("test-node"));
            Assert.That(wire.TryGetProperty("interval", out var interval), Is.EqualTo(count));
            if (count)
            {
                Assert.That(interval.GetInt32(), Is.EqualTo(printed.GetProperty("interval").GetInt32()));
            }
        }

        var check = JsonDocument.Parse(checks[0].Body).RootElement.EnumerateArray().Single();
        Assert.That(check.GetProperty("check").GetString(), Is.EqualTo("falco.openmetrics.health"));
        Assert.That(check.GetProperty("status").GetInt32(), Is.EqualTo(0));
        Assert.That(check.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Does.Contain("falco_version:0.40.0"));
    }

    [Test]
    public async Task A_403_is_one_clear_error_naming_the_sink_with_the_api_key_masked_and_no_retry()
    {
        await using var replay = ReplayServer.StartEmbedded();
        var (intake, requests) = await IntakeAsync(_ => 403);
        await using var _ = intake;
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"sinks:\n  - type: datadog\n    api_key: {ApiKey}\n    url: http://127.0.0.1:{intake.Port}\n    send_service_checks: false\n");

        var run = await CheckRun.RunAsync(config, Rate);

        Assert.That(run.Exit, Is.EqualTo(1));
        Assert.That(run.Errors.Trim(), Does.StartWith($"sink datadog (http://127.0.0.1:{intake.Port}, v2): ").And.Contain("HTTP 403 Forbidden: {\"errors\":[\"Forbidden\"]}"));
        Assert.That(run.Errors + run.Output, Does.Not.Contain(ApiKey));
        Assert.That(requests, Has.Count.EqualTo(1), "a 403 is not retried");
    }

    [Test]
    public async Task Server_errors_and_429_with_Retry_After_are_retried_and_every_point_arrives_once()
    {
        await using var replay = ReplayServer.StartEmbedded();
        // 500, 503, 429, then accepted.
        var (intake, requests) = await IntakeAsync(n => n switch { 1 => 500, 2 => 503, 3 => 429, _ => 202 });
        await using var _ = intake;
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"sinks:\n  - type: datadog\n    url: http://127.0.0.1:{intake.Port}\n    api_version: v1\n    retry_initial_backoff: 0.01\n    retry_max_backoff: 0.05\n    send_service_checks: false\n");

        var run = await CheckRun.RunAsync(config, Rate);

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        var bodies = requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("series").GetArrayLength()).ToList();
        Assert.That(bodies, Has.Count.EqualTo(4));
        Assert.That(bodies.Distinct().Single(), Is.EqualTo(run.Metrics.Count), "the same payload each time, delivered once");
    }

    [Test]
    public async Task A_request_that_hangs_past_the_timeout_is_sent_again_and_the_points_are_taken_once()
    {
        await using var replay = ReplayServer.StartEmbedded();
        var accepted = new ConcurrentQueue<RecordedRequest>();
        int count = 0;
        using var release = new CancellationTokenSource();
        await using var intake = new TestHttpServer(async context =>
        {
            var request = await RecordedRequest.ReadAsync(context);
            if (Interlocked.Increment(ref count) == 1)
            {
                // The first request hangs well past the sink's timeout; the client gives up on it.
                await Task.Delay(TimeSpan.FromSeconds(30), release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            accepted.Enqueue(request);
            await TestHttpServer.WriteAsync(context, "{}"u8.ToArray(), "application/json", 202);
        });
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"sinks:\n  - type: datadog\n    url: http://127.0.0.1:{intake.Port}\n    api_version: v1\n    timeout: 0.5\n    retry_initial_backoff: 0.01\n    retry_max_backoff: 0.05\n    send_service_checks: false\n");

        var run = await CheckRun.RunAsync(config, Rate);
        await release.CancelAsync();

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        Assert.That(count, Is.EqualTo(2), "one hung request, then one that was answered");
        var points = accepted.SelectMany(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("series").EnumerateArray())
            .Select(s => s.GetProperty("metric").GetString() + string.Join(',', s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()))).ToList();
        Assert.That(points, Has.Count.EqualTo(run.Metrics.Count).And.Unique, "every point once");
    }

    [Test]
    public async Task Otlp_request_decodes_with_the_official_proto_types()
    {
        await using var replay = ReplayServer.StartEmbedded();
        var (intake, requests) = await IntakeAsync(_ => 200);
        await using var _ = intake;
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"sinks:\n  - type: otlp\n    url: http://127.0.0.1:{intake.Port}/v1/metrics\n    headers:\n      x-api-key: secret-value\n    compression: gzip\n");

        var run = await CheckRun.RunAsync(config, Rate);

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        var request = requests.Single();
        Assert.That(request.Path, Is.EqualTo("/v1/metrics"));
        Assert.That(request.Headers["Content-Type"], Is.EqualTo("application/x-protobuf"));
        Assert.That(request.Headers["x-api-key"], Is.EqualTo("secret-value"));
        var export = ExportMetricsServiceRequest.Parser.ParseFrom(request.Body);
        var resource = export.ResourceMetrics.Single();
        Assert.That(resource.Resource.Attributes.ToDictionary(a => a.Key, a => a.Value.StringValue),
            Is.EqualTo(new Dictionary<string, string> { ["host.name"] = "test-node", ["service.name"] = "falco", ["falco.version"] = "0.40.0" }));
        var metrics = resource.ScopeMetrics.Single().Metrics;
        var points = metrics.Sum(m => m.DataCase == Metric.DataOneofCase.Sum ? m.Sum.DataPoints.Count : m.Gauge.DataPoints.Count);
        Assert.That(points, Is.EqualTo(run.Metrics.Count));
        // falco.rules.files.changed is derived as an increase only: it is the one delta Sum.
        var sums = metrics.Where(m => m.DataCase == Metric.DataOneofCase.Sum && m.Name != "falco_rules_files_changed_total").ToList();
        Assert.That(sums, Is.Not.Empty);
        Assert.That(sums.Select(m => m.Name), Has.All.EndWith("_total"));
        Assert.That(sums.SelectMany(m => m.Sum.DataPoints).Select(p => p.StartTimeUnixNano), Has.All.GreaterThan(0UL), "Falco's start time");
        Assert.That(sums.Select(m => m.Sum.AggregationTemporality), Has.All.EqualTo(AggregationTemporality.Cumulative));
        Assert.That(metrics.Single(m => m.Name == "falco_memory_rss").Unit, Is.EqualTo("By"));
    }
}
