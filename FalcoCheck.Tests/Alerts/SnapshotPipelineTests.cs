using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FalcoCheck.Alerts;
using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Tests.Configuration;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// Metrics snapshot alerts end to end: into the HTTP receiver and a followed file, out of a real file metrics sink as
/// falco.* series, and never into the alert log sinks, while real alerts beside them still are.
/// </summary>
[TestFixture]
internal sealed class SnapshotPipelineTests
{
    private static readonly string[] Counted = ["falco.scap.n.evts.count", "falco.scap.n.drops.count", "falco.duration.seconds.count"];

    [Test]
    public async Task Snapshots_by_http_and_by_file_become_metrics_and_are_not_forwarded_as_alerts()
    {
        using var dir = new TempDir();
        string events = Path.Combine(dir.Path, "events.json");
        string metricsFile = Path.Combine(dir.Path, "metrics.jsonl");
        File.WriteAllText(events, string.Empty);
        var logs = new RecordingLogSink();
        QueuedSink metrics = SinkFactory.Create(new FileSinkConfig(new SourcePosition("test", 1, 1), metricsFile), TextWriter.Null, TimeProvider.System);
        await using (metrics)
        {
            JsonObject first = SnapshotSamples.Parse("snapshot_falco-0.41.0_kernel.json");
            string scrape = File.ReadAllText(Path.Combine(Parsing.FixtureFiles.Directory, "falco-0.41.0_prometheus_kernel.prom.txt"));
            var (second, _) = SnapshotSamples.Later(first, scrape, 60, [("scap.n_evts", "falcosecurity_scap_n_evts_total ", 1000)]);

            // The same Falco host sends by http_output while another (a second file_output) is followed.
            JsonObject other = JsonNode.Parse(first.ToJsonString())!.AsObject();
            SnapshotSamples.Fields(other)["evt.hostname"] = "node-b";

            await using (AlertHarness harness = await new AlertHarness(c => c with { Files = [events] }, _ => logs, metricSinks: [metrics], stateDir: dir.Path).StartAsync())
            {
                // One body with a real alert and a snapshot, NDJSON as Falco's http_output batches never are, but forwarders do.
                using HttpResponseMessage mixed = await harness.PostAsync(AlertSamples.OneLine + "\n" + SnapshotSamples.Line(first));
                using JsonDocument mixedAnswer = JsonDocument.Parse(await mixed.Content.ReadAsStringAsync());
                using HttpResponseMessage alone = await harness.PostAsync(SnapshotSamples.Line(second));
                using JsonDocument aloneAnswer = JsonDocument.Parse(await alone.Content.ReadAsStringAsync());

                Assert.That(mixed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(mixedAnswer.RootElement.GetProperty("accepted").GetInt32(), Is.EqualTo(1));
                Assert.That(mixedAnswer.RootElement.GetProperty("snapshots").GetInt32(), Is.EqualTo(1));
                Assert.That(alone.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a body holding only a snapshot is not a bad request");
                Assert.That(aloneAnswer.RootElement.GetProperty("accepted").GetInt32(), Is.Zero);
                Assert.That(aloneAnswer.RootElement.GetProperty("snapshots").GetInt32(), Is.EqualTo(1));

                File.AppendAllText(events, SnapshotSamples.Line(other) + "\n" + AlertSamples.OneLine + "\n");
                await Eventually.TrueAsync(() => logs.Entries.Count == 2 && Lines(metricsFile).Any(l => l.Host == "node-b"), "the followed file's alert and snapshot");
                await Eventually.TrueAsync(() => Lines(metricsFile).Count(l => l.Metric == "falco.scap.n.evts.count" && l.Host == "test") == 2, "both http snapshots' counts");
            }

            // The pipeline's last falco.alerts.count went to the sink at its stop; let the file sink write it.
            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                await metrics.DrainAsync(deadline.Token);
            }

            List<MetricLine> lines = Lines(metricsFile);
            MetricLine[] viaHttp = [.. lines.Where(l => l.Tags.Contains("falco_output:http_output"))];
            MetricLine[] viaFile = [.. lines.Where(l => l.Tags.Contains("falco_output:file_output"))];

            // Falco started 5 s before the first snapshot (kernel fixture): its counters count from zero, then by 1000.
            Assert.That(viaHttp.Where(l => l.Metric == "falco.scap.n.evts.count").Select(l => l.Value), Is.EqualTo(new[] { 17613d, 1000d }));
            Assert.That(viaHttp.Single(l => l.Metric == "falco.scap.n.evts.count" && l.Value == 1000).Interval, Is.EqualTo(60));
            Assert.That(viaHttp.Where(l => l.Metric == "falco.duration.seconds.count").Select(l => l.Value), Is.EqualTo(new[] { 5d, 60d }));
            Assert.That(viaHttp.Where(l => l.Metric == "falco.host.num.cpus").Select(l => (l.Type, l.Value)), Is.All.EqualTo(("gauge", 8d)));
            Assert.That(viaHttp.First(l => l.Metric == "falco.scap.n.evts.count").Tags,
                Is.SupersetOf(new[] { "env:test", "falco_output:http_output", "falco_version:0.41.0", "engine_name:bpf", "kernel_release:6.14.6-300.fc42.x86_64" }));
            Assert.That(viaHttp.Select(l => l.Host).Distinct(), Is.EqualTo(new[] { "test" }), "the Falco host the snapshot names");
            Assert.That(viaFile.Where(l => l.Metric == "falco.scap.n.evts.count").Select(l => (l.Host, l.Value)), Is.EqualTo(new[] { ("node-b", 17613d) }));
            Assert.That(lines.Where(l => l.Metric == "falco.alerts.count").Sum(l => l.Value), Is.EqualTo(2), "two alerts counted, snapshots not");

            // The log sinks got the two real alerts and nothing of the snapshots.
            string[] logged = [.. logs.Entries.Select(Encoding.UTF8.GetString)];
            Assert.That(logged, Has.Length.EqualTo(2));
            Assert.That(logged, Has.None.Contains(SnapshotFields.Rule));
        }
    }

    [Test]
    public async Task A_malformed_snapshot_is_answered_with_notices_and_loses_nothing_else()
    {
        using var dir = new TempDir();
        string metricsFile = Path.Combine(dir.Path, "metrics.jsonl");
        var logs = new RecordingLogSink();
        QueuedSink metrics = SinkFactory.Create(new FileSinkConfig(new SourcePosition("test", 1, 1), metricsFile), TextWriter.Null, TimeProvider.System);
        await using (metrics)
        {
            JsonObject snapshot = SnapshotSamples.Parse("snapshot_falco-0.41.0_kernel.json");
            SnapshotSamples.Fields(snapshot)["scap.n_drops"] = "lots";
            SnapshotSamples.Fields(snapshot)["falco.brand_new_metric"] = 3;

            await using (AlertHarness harness = await new AlertHarness(_ => _, _ => logs, metricSinks: [metrics], stateDir: dir.Path).StartAsync())
            {
                using HttpResponseMessage response = await harness.PostAsync(AlertSamples.OneLine + "\n" + SnapshotSamples.Line(snapshot) + "\n{broken\n");
                using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(answer.RootElement.GetProperty("accepted").GetInt32(), Is.EqualTo(1));
                Assert.That(answer.RootElement.GetProperty("rejected").GetInt32(), Is.EqualTo(1), "the broken line");
                string[] notices = [.. answer.RootElement.GetProperty("notices").EnumerateArray().Select(n => n.GetString()!)];
                Assert.That(notices, Is.EquivalentTo(new[]
                {
                    "line 2: metrics snapshot field 'falco.brand_new_metric' is not a Falco metric FalcoCheck knows (Falco 0.38 to 0.41); skipped",
                    "line 2: metrics snapshot field 'scap.n_drops' must be a number, got a string; skipped",
                }));
                await Eventually.TrueAsync(() => logs.Entries.Count == 1 && Lines(metricsFile).Any(l => l.Metric == "falco.scap.n.evts.count"), "the alert and the snapshot's good fields");
            }

            List<MetricLine> lines = Lines(metricsFile);
            Assert.That(lines.Select(l => l.Metric), Does.Not.Contain("falco.scap.n.drops.count"));
            Assert.That(lines.Select(l => l.Metric), Is.SupersetOf(Counted.Where(c => c != "falco.scap.n.drops.count")));
        }
    }

    [Test]
    public async Task Without_a_metrics_sink_snapshots_are_counted_and_dropped_never_logged()
    {
        var logs = new RecordingLogSink();
        await using AlertHarness harness = await new AlertHarness(_ => _, _ => logs).StartAsync();

        using HttpResponseMessage response = await harness.PostAsync(SnapshotSamples.Read("snapshot_falco-0.41.0_state.json") + "\n" + AlertSamples.OneLine);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(() => logs.Entries.Count == 1, "the real alert");
        Assert.That(harness.Pipeline.Snapshots.Received, Is.EqualTo(1));
        Assert.That(harness.Pipeline.Snapshots.Dropped, Is.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(logs.Entries[0]), Does.Not.Contain(SnapshotFields.Rule));
    }

    [Test]
    public async Task Snapshots_on_stdin_program_output_become_metrics_tagged_with_their_output()
    {
        var logs = new RecordingLogSink();
        var metrics = new RecordingMetricSink();
        await using AlertHarness harness = await new AlertHarness(_ => _, _ => logs, metricSinks: [metrics],
            options: new AlertPipelineOptions { ServeInputs = false, Drain = TimeSpan.FromSeconds(2) }).StartAsync();
        string lines = SnapshotSamples.Read("snapshot_falco-0.39.0_all.json") + "\n" + AlertSamples.OneLine + "\n";

        long queued = await harness.Pipeline.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(lines)), CancellationToken.None);
        await harness.Pipeline.StopAsync(CancellationToken.None);

        Assert.That(queued, Is.EqualTo(1), "the one real alert");
        MetricPoint[] points = [.. metrics.Points.Where(p => p.Name != "falco.alerts.count" && !p.Name.StartsWith("falco.check.", StringComparison.Ordinal))];
        Assert.That(points, Is.Not.Empty);
        Assert.That(points, Has.All.Matches<MetricPoint>(p => p.Tags.Contains("falco_output:program_output")));
        Assert.That(points.Select(p => p.Name), Does.Contain("falco.scap.n.evts.cpu.count").Or.Contain("falco.memory.rss"));
        Assert.That(logs.Entries.Select(Encoding.UTF8.GetString), Has.None.Contains(SnapshotFields.Rule));
    }

    /// <summary>Keeps what the pipeline submits to the metrics sinks.</summary>
    private sealed class RecordingMetricSink : IMetricSink
    {
        private readonly List<MetricPoint> _points = [];

        public string Name => "recording";

        public List<MetricPoint> Points
        {
            get
            {
                lock (_points)
                {
                    return [.. _points];
                }
            }
        }

        public Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken)
        {
            lock (_points)
            {
                _points.AddRange(submission.Metrics);
            }

            return Task.FromResult(SendResult.Ok(submission.Metrics.Count));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed record MetricLine(string Metric, string Type, double Value, int Interval, string Host, string[] Tags);

    private static List<MetricLine> Lines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = new List<MetricLine>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || !line.EndsWith('}'))
            {
                continue; // a line still being written
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (!root.TryGetProperty("metric", out JsonElement metric))
            {
                continue;
            }

            lines.Add(new MetricLine(metric.GetString()!, root.GetProperty("type").GetString()!, root.GetProperty("value").GetDouble(),
                root.TryGetProperty("interval", out JsonElement interval) ? interval.GetInt32() : 0, root.GetProperty("host").GetString()!,
                [.. root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)]));
        }

        return lines;
    }
}
