using System.Net;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Tests.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Tests.Alerts;

/// <summary>An <see cref="AlertPipeline"/> in a temporary state folder, with its receiver on a free loopback port.</summary>
internal sealed class AlertHarness : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    public AlertHarness(Func<AlertsConfig, AlertsConfig>? configure = null, Func<SinkConfig, ILogSink>? createSink = null,
        IReadOnlyList<IMetricSink>? metricSinks = null, AlertPipelineOptions? options = null, string? stateDir = null)
    {
        StateDir = stateDir ?? _dir.Path;
        Agent = new AgentConfig { Hostname = "test-node", Tags = ["env:test"], StateDir = StateDir };
        var config = new AlertsConfig
        {
            Http = new AlertsHttpConfig { Listen = new IPEndPoint(IPAddress.Loopback, 0) },
            Sinks = [new FileSinkConfig(new SourcePosition("test", 1, 1), Path.Combine(StateDir, "alerts.jsonl"))],
            SpoolDir = Path.Combine(StateDir, "spool"),
            FileStateDir = Path.Combine(StateDir, "files"),
        };
        Config = configure?.Invoke(config) ?? config;
        Pipeline = new AlertPipeline(Agent, Config, metricSinks ?? [], NullLoggerFactory.Instance, TimeProvider.System, TextWriter.Null,
            options ?? new AlertPipelineOptions
            {
                Retry = new LogRetryOptions { Delay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) },
                Follow = new FollowOptions { PollInterval = TimeSpan.FromMilliseconds(20), RotateWait = TimeSpan.FromMilliseconds(300) },
                Drain = TimeSpan.FromSeconds(2),
            },
            createSink);
        Client = new HttpClient(new SocketsHttpHandler());
    }

    public string StateDir { get; }

    public AgentConfig Agent { get; }

    public AlertsConfig Config { get; }

    public AlertPipeline Pipeline { get; }

    public HttpClient Client { get; }

    public Uri Url => Pipeline.ReceiverAddress!;

    public async Task<AlertHarness> StartAsync()
    {
        await Pipeline.StartAsync(CancellationToken.None);
        return this;
    }

    public Task<HttpResponseMessage> PostAsync(string body, Action<HttpRequestMessage>? configure = null) =>
        PostAsync(AlertSamples.Utf8(body), configure);

    public async Task<HttpResponseMessage> PostAsync(byte[] body, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        // Expect: 100-continue, as curl sends for large bodies: a refused body (413, 401) is then never sent, and the
        // receiver's early answer is not lost to a connection reset while the client is still writing.
        request.Headers.ExpectContinue = true;
        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Pipeline.DisposeAsync();
        _dir.Dispose();
    }
}
