using System.Globalization;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;
using FalcoCheck.Sinks.Loki;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Tests.Alerts;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// Every HTTP sink puts its API path below the user's base URL with <see cref="SinkHttpClient.Below"/>: exactly one
/// slash whatever the base ends with, the base's query kept on the final URL, its percent-encoding kept, a fragment
/// dropped. A key in that query stays out of the sink's name and out of an error the server quotes back. Each sink is
/// then checked on the wire: the request line a loopback server received.
/// </summary>
internal sealed class SinkUrlTests
{
    private const string Key = "s3cret0123456789";

    /// <summary>A prefix with an escaped space, a query with an escaped '&amp;' and a key, and a fragment.</summary>
    private const string Prefix = "/vm%20team/datadog";

    private const string Query = "?tenant=a%26b&dd-api-key=" + Key;

    /// <summary>Every API path a sink appends to a base URL.</summary>
    private static readonly string[] SinkPaths =
    [
        DatadogSink.SeriesV2Path, DatadogSink.SeriesV1Path, DatadogSink.CheckRunPath, DatadogSink.EventsPath,
        DatadogLogsSink.IntakePath, AlertmanagerSink.AlertsPath, LokiOptions.PushPath, OtlpLogsOptions.LogsPath,
    ];

    /// <summary>A base URL as a user writes it, and the URL expected with <c>{0}</c> for the API path.</summary>
    private static readonly (string Base, string Expected)[] Bases =
    [
        ("http://vm:8428", "http://vm:8428/{0}"),
        ("http://vm:8428/", "http://vm:8428/{0}"),
        ("http://vm:8428/datadog", "http://vm:8428/datadog/{0}"),
        ("http://vm:8428/datadog/", "http://vm:8428/datadog/{0}"),
        ("http://vm:8428/datadog//", "http://vm:8428/datadog/{0}"),
        ("http://vm:8428?tenant=x", "http://vm:8428/{0}?tenant=x"),
        ("http://vm:8428/?tenant=x", "http://vm:8428/{0}?tenant=x"),
        ("http://vm:8428/datadog?extra_label=env%3Dprod&extra_label=team%3Da", "http://vm:8428/datadog/{0}?extra_label=env%3Dprod&extra_label=team%3Da"),
        ("http://vm:8428/datadog/?dd-api-key=k%2Bey", "http://vm:8428/datadog/{0}?dd-api-key=k%2Bey"),
        ("http://vm:8428/datadog#part", "http://vm:8428/datadog/{0}"),
        ("http://vm:8428/datadog/?tenant=x#part", "http://vm:8428/datadog/{0}?tenant=x"),
        ("http://vm:8428/team%2Fa", "http://vm:8428/team%2Fa/{0}"),
        ("http://vm:8428/a%20b/", "http://vm:8428/a%20b/{0}"),
        ("http://vm:8428/a b", "http://vm:8428/a%20b/{0}"),
        ("https://user@[::1]:9093/am", "https://user@[::1]:9093/am/{0}"),
        ("https://api.datadoghq.eu", "https://api.datadoghq.eu/{0}"),
    ];

    private static IEnumerable<TestCaseData> Joins() =>
        from b in Bases
        from path in SinkPaths
        select new TestCaseData(b.Base, path).Returns(string.Format(CultureInfo.InvariantCulture, b.Expected, path)).SetArgDisplayNames(b.Base, path);

    [TestCaseSource(nameof(Joins))]
    public string Below_joins_with_one_slash_keeps_the_query_and_the_encoding_and_drops_a_fragment(string baseUrl, string path) =>
        SinkHttpClient.Below(new Uri(baseUrl), path).AbsoluteUri;

    [Test]
    public void A_key_in_the_query_stays_out_of_the_display_name_and_out_of_quoted_errors()
    {
        var baseUrl = new Uri("https://vm:8428/datadog/?dd-api-key=" + Key + "&tenant=t%2B1");
        Assert.Multiple(() =>
        {
            foreach (string path in SinkPaths)
            {
                Assert.That(EndpointRedactor.Redact(SinkHttpClient.Below(baseUrl, path)), Is.EqualTo("https://vm:8428/datadog/" + path));
            }

            using var http = new SinkHttpClient(new HttpEndpointOptions { Url = baseUrl, DisplayName = EndpointRedactor.Redact(baseUrl) }, TimeSpan.FromSeconds(1), TimeProvider.System);
            string quoted = http.Redact("cannot parse /datadog/api/v2/series?dd-api-key=" + Key + "&tenant=t+1");
            Assert.That(quoted, Does.Not.Contain(Key).And.Not.Contain("t+1"));
            Assert.That(quoted, Does.StartWith("cannot parse /datadog/api/v2/series?"));
            Assert.That(http.Redact("invalid API key " + Key), Does.Not.Contain(Key), "a server may quote the key alone");
        });
    }

    [TestCase("v2", DatadogSink.SeriesV2Path)]
    [TestCase("v1", DatadogSink.SeriesV1Path)]
    public async Task The_datadog_sink_posts_series_checks_and_events_below_the_base_with_its_query(string version, string seriesPath)
    {
        await using var server = new RawHttpServer([]);
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml",
            $"api_key: k\nsinks:\n  - type: datadog\n    url: '{Base(server)}'\n    api_version: {version}\n    compression: none\n");
        AgentConfig agent = ConfigLoader.LoadAgent(path, _ => null);
        await using QueuedSink sink = SinkFactory.Create(agent.Sinks[0], TextWriter.Null, TimeProvider.System);
        var submission = new Submission("t", SinkSamples.Points, SinkSamples.Checks)
        {
            Events = [new FalcoEvent("falco.rules.reloaded", "Falco reloaded its rules", "text", SinkSamples.Timestamp, "node-1", [])],
        };

        SendResult result = await sink.SendAsync(submission, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Success, Is.True, result.Error);
            Assert.That(server.RequestLines, Is.EquivalentTo(new[] { seriesPath, DatadogSink.CheckRunPath, DatadogSink.EventsPath }.Select(Line)));
            Assert.That(sink.Name, Does.Not.Contain(Key));
        });
    }

    [TestCase(DatadogLogsSinkConfig.TypeName, "api_key: k\n", DatadogLogsSink.IntakePath)]
    [TestCase(AlertmanagerSinkConfig.TypeName, "", AlertmanagerSink.AlertsPath)]
    [TestCase(LokiSinkConfig.TypeName, "", LokiOptions.PushPath)]
    public async Task An_alert_sink_posts_below_the_base_with_its_query(string type, string more, string apiPath)
    {
        await using var server = new RawHttpServer([]);

        var (attempt, name) = await SendOneAlertAsync(type, Base(server), more);

        Assert.Multiple(() =>
        {
            Assert.That(attempt.Outcome.Status, Is.EqualTo(DeliveryStatus.Sent), attempt.Outcome.Reason);
            Assert.That(server.RequestLines, Is.EqualTo(new[] { Line(apiPath) }));
            Assert.That(name, Does.Not.Contain(Key));
        });
    }

    /// <summary>A URL that already names the API path (Loki's push path; OTLP's with any path) is taken as written, query and all.</summary>
    [TestCase(LokiSinkConfig.TypeName, "/custom/loki/api/v1/push")]
    [TestCase(OtlpLogsSinkConfig.TypeName, "/custom/v1/logs")]
    public async Task A_full_url_is_kept_with_its_query(string type, string fullPath)
    {
        await using var server = new RawHttpServer([]);

        var (attempt, _) = await SendOneAlertAsync(type, $"http://127.0.0.1:{server.Port}{fullPath}{Query}", string.Empty);

        Assert.That(attempt.Outcome.Status, Is.EqualTo(DeliveryStatus.Sent), attempt.Outcome.Reason);
        Assert.That(server.RequestLines, Is.EqualTo(new[] { $"POST {fullPath}{Query} HTTP/1.1" }));
    }

    /// <summary>OTLP's bare collector address (no path) gets <c>v1/logs</c>, and keeps its query.</summary>
    [Test]
    public async Task The_otlp_logs_sink_puts_v1_logs_below_a_bare_address_with_its_query()
    {
        await using var server = new RawHttpServer([]);

        var (attempt, name) = await SendOneAlertAsync(OtlpLogsSinkConfig.TypeName, $"http://127.0.0.1:{server.Port}{Query}#part", string.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(attempt.Outcome.Status, Is.EqualTo(DeliveryStatus.Sent), attempt.Outcome.Reason);
            Assert.That(server.RequestLines, Is.EqualTo(new[] { $"POST /{OtlpLogsOptions.LogsPath}{Query} HTTP/1.1" }));
            Assert.That(name, Does.Not.Contain(Key));
        });
    }

    private static string Base(RawHttpServer server) => $"http://127.0.0.1:{server.Port}{Prefix}/{Query}#part";

    private static string Line(string apiPath) => $"POST {Prefix}/{apiPath}{Query} HTTP/1.1";

    private static async Task<(SendAttempt Attempt, string Name)> SendOneAlertAsync(string type, string url, string more)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", $"alerts:\n  sinks:\n    - type: {type}\n      url: '{url}'\n" + string.Concat(more.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "      " + l + "\n")));
        AgentConfig agent = ConfigLoader.LoadAgent(path, _ => null);
        using IBatchSender<LogBatch> sender = SinkFactory.CreateLogSender(agent.Alerts!.Sinks[0], TextWriter.Null, TimeProvider.System);
        using var alert = JsonDocument.Parse(AlertSamples.OneLine);
        Assert.That(AlertNormalizer.TryNormalize(alert.RootElement, AlertSamples.Context(), out NormalizedAlert? normalized, out string? error), Is.True, error);
        SendAttempt attempt = await sender.SendAsync(new LogBatch([normalized!.Document]), CancellationToken.None);
        return (attempt, sender.Name);
    }
}
