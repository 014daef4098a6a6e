using System.Collections.Concurrent;
using FalcoCheck.Configuration;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Integration;

/// <summary>
/// The agent's <c>proxy:</c> (and DD_PROXY_*) carries every outgoing sink, metrics and alert logs, as in the Datadog
/// Agent. The proxy is a loopback HTTP server that records the request line: through a proxy, an http request names
/// its whole target URL (<c>POST http://127.0.0.1:PORT/api/v2/series HTTP/1.1</c>). The sinks' targets are ports
/// where nothing listens, so a request can only arrive through the proxy.
/// </summary>
internal sealed class SinkProxyTests
{
    private static readonly CheckRunOptions Once = new() { Json = true };

    [Test]
    public async Task A_metrics_sink_goes_through_the_agents_proxy()
    {
        await using var replay = FalcoCheck.Demo.ReplayServer.StartEmbedded();
        await using var proxy = new RawHttpServer("{}"u8.ToArray());
        int nowhere = TestHttpServer.FreePort();
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"api_key: k\nproxy:\n  http: http://127.0.0.1:{proxy.Port}\n  no_proxy: [127.0.0.2]\n"
            + $"sinks:\n  - type: datadog\n    url: http://127.0.0.1:{nowhere}\n    compression: none\n");

        var run = await CheckRun.RunAsync(config, Once);

        Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
        Assert.That(proxy.RequestLines, Does.Contain($"POST http://127.0.0.1:{nowhere}/api/v2/series HTTP/1.1"));
    }

    [Test]
    public async Task DD_PROXY_HTTP_wins_over_the_file_and_DD_PROXY_NO_PROXY_sends_direct()
    {
        await using var replay = FalcoCheck.Demo.ReplayServer.StartEmbedded();
        await using var fromEnv = new RawHttpServer("{}"u8.ToArray());
        await using var fromFile = new RawHttpServer("{}"u8.ToArray());
        var direct = new ConcurrentQueue<string>();
        await using var intake = new TestHttpServer(async context =>
        {
            direct.Enqueue(context.Request.Url!.AbsolutePath);
            await TestHttpServer.WriteAsync(context, "{}"u8.ToArray(), "application/json", 202);
        });
        int nowhere = TestHttpServer.FreePort();
        using var config = new TestConfig($"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n",
            $"api_key: k\nproxy:\n  http: http://127.0.0.1:{fromFile.Port}\n"
            + $"sinks:\n  - type: datadog\n    url: http://localhost:{nowhere}\n    compression: none\n"
            + $"  - type: datadog\n    url: http://127.0.0.1:{intake.Port}\n    compression: none\n");
        string? Env(string name) => name switch
        {
            "DD_PROXY_HTTP" => $"http://127.0.0.1:{fromEnv.Port}",
            "DD_PROXY_NO_PROXY" => "example.org 127.0.0.1",
            _ => null,
        };

        var run = await CheckRun.RunAsync(config, Once, Env);

        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.EqualTo(0), run.Errors);
            Assert.That(fromEnv.RequestLines, Does.Contain($"POST http://localhost:{nowhere}/api/v2/series HTTP/1.1"));
            Assert.That(fromEnv.RequestLines, Has.None.Contains("127.0.0.1"), "127.0.0.1 is in DD_PROXY_NO_PROXY");
            Assert.That(fromFile.RequestLines, Is.Empty, "the environment wins over the file");
            Assert.That(direct, Does.Contain("/api/v2/series"), "the no_proxy host is reached directly");
        });
    }

    [Test]
    public async Task The_alert_log_sink_goes_through_the_agents_proxy()
    {
        await using var proxy = new RawHttpServer("{}"u8.ToArray());
        int nowhere = TestHttpServer.FreePort();
        using var dir = new FalcoCheck.Tests.Configuration.TempDir();
        string path = dir.Write("falcocheck.yaml",
            $"proxy: {{http: 'http://127.0.0.1:{proxy.Port}'}}\nalerts:\n  sinks:\n    - type: datadog_logs\n      api_key: k\n      url: http://127.0.0.1:{nowhere}\n");
        var agent = ConfigLoader.LoadAgent(path, _ => null);
        var sender = SinkFactory.CreateLogSender(agent.Alerts!.Sinks[0], TextWriter.Null, TimeProvider.System);

        var attempt = await sender.SendAsync(new LogBatch([[.. "{\"message\":\"m\"}"u8]]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(attempt.Outcome.Status, Is.EqualTo(FalcoCheck.Sinks.Delivery.DeliveryStatus.Sent), attempt.Outcome.Reason);
            Assert.That(proxy.RequestLines, Is.EqualTo(new[] { $"POST http://127.0.0.1:{nowhere}/api/v2/logs HTTP/1.1" }));
        });
    }

    [Test]
    public async Task Skip_proxy_connects_directly_even_with_a_proxy_set()
    {
        await using var proxy = new RawHttpServer("{}"u8.ToArray());
        var direct = new ConcurrentQueue<string>();
        await using var intake = new TestHttpServer(async context =>
        {
            direct.Enqueue(context.Request.Url!.AbsolutePath);
            await TestHttpServer.WriteAsync(context, "{}"u8.ToArray(), "application/json", 202);
        });
        using var dir = new FalcoCheck.Tests.Configuration.TempDir();
        string path = dir.Write("falcocheck.yaml",
            $"proxy: {{http: 'http://127.0.0.1:{proxy.Port}'}}\nskip_proxy: true\nalerts:\n  sinks:\n    - type: datadog_logs\n      api_key: k\n      url: http://127.0.0.1:{intake.Port}\n");
        var agent = ConfigLoader.LoadAgent(path, _ => null);
        var sender = SinkFactory.CreateLogSender(agent.Alerts!.Sinks[0], TextWriter.Null, TimeProvider.System);

        var attempt = await sender.SendAsync(new LogBatch([[.. "{\"message\":\"m\"}"u8]]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(attempt.Outcome.Status, Is.EqualTo(FalcoCheck.Sinks.Delivery.DeliveryStatus.Sent), attempt.Outcome.Reason);
            Assert.That(direct, Is.EqualTo(new[] { "/api/v2/logs" }));
            Assert.That(proxy.RequestLines, Is.Empty);
        });
    }

    [Test]
    public void A_bad_DD_PROXY_value_is_an_error_that_never_quotes_it()
    {
        using var dir = new FalcoCheck.Tests.Configuration.TempDir();
        string path = dir.Write("falcocheck.yaml", "log_level: info\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, name => name == "DD_PROXY_HTTPS" ? "proxy:3128 user:s3cret" : null));

        Assert.That(e!.Errors.Select(x => x.ToString()), Is.EqualTo(new[] { "$DD_PROXY_HTTPS:1:1: proxy: expected an absolute URL such as http://proxy:3128/" }));
    }
}
