using FalcoCheck.Mapping;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Tests.Runtime;

/// <summary>The daemon's per-sink queue: never blocks the caller, drops the oldest when full, flushes on stop.</summary>
internal sealed class SinkQueueTests
{
    [Test]
    public async Task A_stalled_sink_never_blocks_enqueue_and_drops_the_oldest_when_full()
    {
        var sink = new FakeSink();
        sink.Hold();
        var queue = new SinkQueue(sink, capacity: 2, NullLogger.Instance, TimeProvider.System, Task.CompletedTask);

        // The sender takes as many as it may have in flight (all held inside the sink) and one more that waits for a
        // place; two more fill the queue; the next two push out the oldest of those.
        const int Taken = SinkQueue.MaxInFlight + 1;
        for (var i = 0; i < Taken; i++)
        {
            queue.Enqueue(Submission("in-flight-" + i, 1));
            await Eventually.WaitAsync(() => queue.Count == 0, "the sender takes what it may have in flight");
        }

        foreach (var name in new[] { "b", "c", "d", "e" })
        {
            queue.Enqueue(Submission(name, 10));
        }

        Assert.That(queue.Count, Is.EqualTo(2));
        Assert.That(queue.QueuedItems, Is.EqualTo(20));
        Assert.That(queue.TakeDropped(), Is.EqualTo(20), "b and c, ten points each");
        Assert.That(queue.TakeDropped(), Is.Zero, "reported once");
        sink.Release();
        await queue.DrainAsync(CancellationToken.None);

        Assert.That(sink.Received.Select(s => s.Instance), Is.EquivalentTo(Enumerable.Range(0, Taken).Select(i => "in-flight-" + i).Append("d").Append("e")));
        var report = queue.Report();
        Assert.That(report.Sent, Is.EqualTo(Taken + 20));
        Assert.That(report.Dropped, Is.EqualTo(20));
        Assert.That(queue.QueuedItems, Is.Zero);
        Assert.That(sink.Disposed, Is.True);
    }

    [Test]
    public async Task A_failing_sink_is_reported_with_its_error_and_keeps_receiving()
    {
        var sink = new FakeSink { FailWith = "intake answered 503" };
        var queue = new SinkQueue(sink, capacity: 8, NullLogger.Instance, TimeProvider.System, Task.CompletedTask);

        queue.Enqueue(Submission("a", 3));
        queue.Enqueue(Submission("b", 3));
        await queue.DrainAsync(CancellationToken.None);

        var report = queue.Report();
        Assert.That(report.Failed, Is.EqualTo(2));
        Assert.That(report.Sent, Is.Zero);
        Assert.That(report.LastError, Is.EqualTo("intake answered 503"));
        Assert.That(report.LastSuccess, Is.Null);
    }

    [Test]
    public async Task Stop_past_the_deadline_counts_what_was_not_flushed()
    {
        var sink = new FakeSink();
        sink.Hold();
        var queue = new SinkQueue(sink, capacity: 8, NullLogger.Instance, TimeProvider.System, Task.CompletedTask);
        queue.Enqueue(Submission("a", 5));
        queue.Enqueue(Submission("b", 5));
        using var deadline = new CancellationTokenSource();
        await deadline.CancelAsync();

        await queue.DrainAsync(deadline.Token);

        Assert.That(sink.Received, Is.Empty);
        Assert.That(queue.Report().Dropped, Is.EqualTo(10));
        Assert.That(sink.Disposed, Is.True);
    }

    [Test]
    public async Task A_successor_waits_for_its_predecessor_to_drain()
    {
        var predecessorDone = new TaskCompletionSource();
        var sink = new FakeSink();
        var queue = new SinkQueue(sink, capacity: 8, NullLogger.Instance, TimeProvider.System, predecessorDone.Task);

        queue.Enqueue(Submission("a", 1));
        await Task.Delay(100);
        Assert.That(sink.Received, Is.Empty, "nothing sent while the old sinks drain");

        predecessorDone.SetResult();
        await queue.DrainAsync(CancellationToken.None);
        Assert.That(sink.Received, Has.Count.EqualTo(1));
    }

    private static Submission Submission(string instance, int points) =>
        new(instance, [.. Enumerable.Range(0, points).Select(i => new MetricPoint("falco.x", MetricKind.Gauge, i, 0, 0, "h", [], null))], []);
}
