using FalcoCheck.Mapping;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Tests.Sinks;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// The daemon's hand-off to a sink, now the sink's own delivery queue: never blocks the caller, drops the oldest
/// when full (no spool), reports failures, flushes on stop, and a successor waits for its predecessor.
/// </summary>
internal sealed class SinkSetTests
{
    private static readonly DeliveryOptions Small = QueuedSinkTests.Fast with { QueueSize = 20, SpoolMaxBytes = 0, MaxRetries = 0 };

    [Test]
    public async Task A_stalled_sink_never_blocks_enqueue_and_drops_the_oldest_when_full()
    {
        var sender = new FakeSender { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var sink = new QueuedSink(sender, Small, TimeProvider.System);

        sink.Enqueue(Submission("a", 1));
        await sender.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The backend holds "a"; each of these returns at once. Past 20 items the oldest waiting run goes.
        foreach (var name in new[] { "b", "c", "d", "e" })
        {
            sink.Enqueue(Submission(name, 10));
        }

        Assert.That(sender.Requests, Is.Zero, "the held request has not returned");
        Assert.That(sink.Counts.Queued, Is.EqualTo(11), "a in delivery and e waiting");
        Assert.That(sink.Counts.Dropped, Is.EqualTo(30), "b, c and d, ten points each");
        Assert.That(sink.Counts.LastDropReason, Does.StartWith("queue full (20 items)").And.Contain("no spool"));

        sender.Gate.SetResult();
        await sink.DrainAsync(CancellationToken.None);

        Assert.That(sender.Received.Select(p => p.Name), Is.EqualTo(new[] { "a" }.Concat(Enumerable.Repeat("e", 10))));
        var report = SinkReport.Of(sink);
        Assert.That(report.Sent, Is.EqualTo(11));
        Assert.That(report.Dropped, Is.EqualTo(30));
        Assert.That(report.Queue, Is.Zero);
        Assert.That(sender.Disposed, Is.True);
    }

    [Test]
    public async Task A_failing_sink_is_reported_with_its_error_and_keeps_receiving()
    {
        var sender = new FakeSender();
        sender.Answer(DeliveryOutcome.Rejected("intake answered 400"), DeliveryOutcome.Rejected("intake answered 400"));
        await using var sink = new QueuedSink(sender, Small with { MaxRetries = 0 }, TimeProvider.System);

        Assert.That((await sink.SendAsync(Submission("a", 3), CancellationToken.None)).Success, Is.False);
        Assert.That((await sink.SendAsync(Submission("b", 1), CancellationToken.None)).Success, Is.False);
        var failing = SinkReport.Of(sink);
        Assert.That(failing.Failed, Is.EqualTo(2));
        Assert.That(failing.Sent, Is.Zero);
        Assert.That(failing.LastError, Is.EqualTo("intake answered 400"));
        Assert.That(failing.LastSuccess, Is.Null);

        Assert.That((await sink.SendAsync(Submission("c", 2), CancellationToken.None)).Success, Is.True);
        var recovered = SinkReport.Of(sink);
        Assert.That(recovered.Sent, Is.EqualTo(2));
        Assert.That(recovered.LastSuccess, Is.Not.Null);
        Assert.That(recovered.LastErrorAt, Is.Not.Null, "when it last failed stays in the report");
    }

    [Test]
    public async Task Stop_past_the_deadline_counts_what_was_not_flushed()
    {
        var sender = new FakeSender { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var sink = new QueuedSink(sender, Small, TimeProvider.System);
        sink.Enqueue(Submission("a", 5));
        sink.Enqueue(Submission("b", 5));
        using var deadline = new CancellationTokenSource();
        await deadline.CancelAsync();

        await sink.DrainAsync(deadline.Token);

        Assert.That(sender.Received, Is.Empty);
        Assert.That(SinkReport.Of(sink).Dropped, Is.EqualTo(10));
        Assert.That(sender.Disposed, Is.True);
    }

    [Test]
    public async Task A_successor_waits_for_its_predecessor_to_drain()
    {
        var predecessorDone = new TaskCompletionSource();
        var sender = new FakeSender();
        var sink = new QueuedSink(sender, Small, TimeProvider.System, startAfter: predecessorDone.Task);

        sink.Enqueue(Submission("a", 1));
        await Task.Delay(100);
        Assert.That(sender.Requests, Is.Zero, "nothing sent while the old sinks drain");

        predecessorDone.SetResult();
        await sink.DrainAsync(CancellationToken.None);
        Assert.That(sender.Received, Has.Count.EqualTo(1));
    }

    private static Submission Submission(string instance, int points) =>
        new(instance, [.. Enumerable.Range(0, points).Select(i => new MetricPoint(instance, MetricKind.Gauge, i, 0, 0, "h", [], null))], []);
}
