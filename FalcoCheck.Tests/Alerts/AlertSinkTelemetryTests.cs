using System.Net;
using FalcoCheck.Configuration;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using static FalcoCheck.Tests.Alerts.AlertSamples;

namespace FalcoCheck.Tests.Alerts;

/// <summary>Each log sink shows as a metrics sink does: a <c>status</c> row and <c>falco.check.sink.*</c> series.</summary>
internal sealed class AlertSinkTelemetryTests
{
    private sealed class RecordingMetricSink : IMetricSink
    {
        public List<MetricPoint> Points { get; } = [];

        public string Name => "metrics";

        public Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken)
        {
            lock (Points)
            {
                Points.AddRange(submission.Metrics);
            }

            return Task.FromResult(SendResult.Ok(submission.Metrics.Count));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Test]
    public async Task Every_log_sink_has_a_status_row_and_its_queue_spool_and_drops_as_series()
    {
        var metrics = new RecordingMetricSink();
        var down = new RecordingLogSink { Answer = () => DeliveryOutcome.Retry("backend down") };
        var up = new RecordingLogSink();
        var position = new SourcePosition("test", 1, 1);
        var harness = await new AlertHarness(
            c => c with { Sinks = [new FileSinkConfig(position, "down"), new FileSinkConfig(position, "up")] },
            c => ((FileSinkConfig)c).Path == "down" ? down : up,
            metricSinks: [metrics]).StartAsync();

        using (HttpResponseMessage response = await harness.PostAsync(string.Join('\n', Enumerable.Range(1, 4).Select(n => Numbered(n)))))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Eventually.TrueAsync(() => up.Entries.Count == 4 && down.Calls >= 2, "one sink delivered, the other retrying");
        IReadOnlyList<SinkReport> rows = harness.Pipeline.Report();
        await harness.DisposeAsync();

        Assert.That(rows.Select(r => r.Sent), Is.EqualTo(new long[] { 0, 4 }));
        Assert.That(rows[0].LastError, Is.EqualTo("backend down"));
        Assert.That(rows.Select(r => r.Name), Has.All.EqualTo("recording"));
        MetricPoint[] queue = [.. metrics.Points.Where(p => p.Name == SelfTelemetry.SinkQueueSize)];
        Assert.That(queue.Select(p => p.Tags.Single(t => t.StartsWith("sink:", StringComparison.Ordinal))), Is.EqualTo(new[] { "sink:recording", "sink:recording" }));
        Assert.That(metrics.Points.Where(p => p.Name == SelfTelemetry.SinkSpoolBytes), Has.Exactly(2).Items);
        Assert.That(metrics.Points.Where(p => p.Name == SelfTelemetry.SinkDropped), Has.Exactly(2).Items);
        Assert.That(metrics.Points.Where(p => p.Name == "falco.alerts.count").Sum(p => p.Value), Is.EqualTo(4));
    }
}
