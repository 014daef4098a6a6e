using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Integration;

/// <summary>A changed rules file reaches Datadog's events API (<c>POST /api/v1/events</c>) beside the series.</summary>
internal sealed class DatadogEventsTests
{
    private static string Payload(string sha) =>
        "# TYPE falcosecurity_falco_version_info gauge\nfalcosecurity_falco_version_info{version=\"0.41.0\"} 1\n" +
        $"# TYPE falcosecurity_falco_sha256_rules_files_info gauge\nfalcosecurity_falco_sha256_rules_files_info{{file_name=\"falco_rules.yaml\",sha256=\"{sha}\"}} 1\n";

    [Test]
    public async Task A_rules_file_change_is_posted_as_one_event()
    {
        var payloads = new[] { Payload("aaa"), Payload("bbb") };
        var scrapes = 0;
        await using var falco = new TestHttpServer(context =>
            TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(payloads[Math.Min(Interlocked.Increment(ref scrapes) - 1, 1)])));
        var requests = new ConcurrentQueue<RecordedRequest>();
        await using var intake = new TestHttpServer(async context =>
        {
            requests.Enqueue(await RecordedRequest.ReadAsync(context));
            await TestHttpServer.WriteAsync(context, "{}"u8.ToArray(), "application/json", 202);
        });
        using var config = new TestConfig($"  - openmetrics_endpoint: {falco.Url}\n",
            $"api_key: 0123456789abcdef0123456789abcdef\nsinks:\n  - type: datadog\n    url: http://127.0.0.1:{intake.Port}\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true, Rate = true, RateInterval = TimeSpan.FromMilliseconds(50) });

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        var events = requests.Where(r => r.Path == "/api/v1/events").ToList();
        Assert.That(events, Has.Count.EqualTo(1));
        var body = JsonDocument.Parse(events[0].Body).RootElement;
        Assert.That(body.GetProperty("title").GetString(), Is.EqualTo("rules file falco_rules.yaml changed on host test-node"));
        Assert.That(body.GetProperty("text").GetString(), Does.Contain("aaa → bbb"));
        Assert.That(body.GetProperty("alert_type").GetString(), Is.EqualTo("warning"));
        Assert.That(body.GetProperty("host").GetString(), Is.EqualTo("test-node"));
        Assert.That(body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Does.Contain("file_name:falco_rules.yaml"));
        Assert.That(events[0].Headers["DD-API-KEY"], Is.EqualTo("0123456789abcdef0123456789abcdef"));
    }
}
