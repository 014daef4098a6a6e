using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Runtime;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// The queue's disk side: a full queue spills instead of dropping, the spool is replayed first and in order, a stop
/// leaves it for the next start, and progress inside a batch survives a restart. Points carry their submission and
/// position in <c>Value</c> (submission × 100 + index), so order and duplicates are plain to see.
/// </summary>
internal sealed class QueuedSinkSpoolTests
{
    private static readonly DeliveryOptions Fast = QueuedSinkTests.Fast with { QueueSize = 10 };

    private static Submission Numbered(int submission, int points) =>
        new("test", [.. SinkSamples.Many(points).Select((p, i) => p with { Value = (submission * 100) + i })], []);

    private static double[] Values(params (int Submission, int Points)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Range(0, r.Points).Select(i => (double)((r.Submission * 100) + i)))];

    /// <summary>Runs 1..<paramref name="count"/> of 4 points each, one after the other.</summary>
    private static async Task SendRunsAsync(QueuedSink sink, int count)
    {
        for (int s = 1; s <= count; s++)
        {
            await sink.SendAsync(Numbered(s, 4), CancellationToken.None);
        }
    }

    private static FakeSender Hung() => new() { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };

    [Test]
    public async Task A_full_queue_spills_to_disk_and_everything_arrives_once_in_order_when_the_backend_is_back()
    {
        using var dir = new TempDir();
        var sender = Hung();
        await using var sink = new QueuedSink(sender, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System, dir.Path);

        var results = new List<SendResult>();
        for (int s = 1; s <= 5; s++)
        {
            results.Add(await sink.SendAsync(Numbered(s, 4), CancellationToken.None));
        }

        Assert.That(sink.Counts.Dropped, Is.EqualTo(0), "the spool has room: nothing is dropped");
        Assert.That(sink.Counts.Spooled, Is.GreaterThan(0));
        Assert.That(sink.Counts.SpoolBytes, Is.GreaterThan(0));
        Assert.That(results.Select(r => r.Error), Has.All.Contains("stay queued"), "each run learns its points are not delivered yet");

        sender.Gate.SetResult();
        await Eventually.WaitAsync(() => sink.Counts.Sent == 20, "all 20 points delivered");

        Assert.That(sender.Received.Select(p => p.Value), Is.EqualTo(Values((1, 4), (2, 4), (3, 4), (4, 4), (5, 4))));
        Assert.That(sink.Counts.SpoolBytes, Is.EqualTo(0));
    }

    [Test]
    public async Task A_batch_spilled_while_its_request_is_in_flight_and_then_taken_is_not_replayed_from_the_spool()
    {
        // The suspected race behind a duplicate in SpoolFaultTests: run 1 is in the sender when runs 2 and 3
        // overflow the queue, so run 1 is written to the spool ahead of them; then its request succeeds. The
        // spooled copy must leave the spool with it, not be sent again before run 2 (in the same process).
        using var dir = new TempDir();
        var sender = Hung();
        await using var sink = new QueuedSink(sender, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System, dir.Path);
        _ = sink.SendAsync(Numbered(1, 6), CancellationToken.None);
        await sender.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await sink.SendAsync(Numbered(2, 6), CancellationToken.None);
        await sink.SendAsync(Numbered(3, 6), CancellationToken.None);
        Assert.That(sink.Counts.SpoolBytes, Is.GreaterThan(0), "run 1 (in flight) and run 2 went to the spool");

        sender.Gate.SetResult();
        await Eventually.WaitAsync(() => sink.Counts.Sent == 18 && sink.Counts.Queued == 0 && sink.Counts.SpoolBytes == 0, "all 18 points delivered");
        await Task.Delay(50);

        Assert.That(sender.Received.Select(p => p.Value), Is.EqualTo(Values((1, 6), (2, 6), (3, 6))), "every point once, in order");
        Assert.That(sender.Requests, Is.EqualTo(3), "one request per run: nothing replayed");
    }

    [Test]
    public async Task A_stop_during_an_outage_leaves_the_queue_in_the_spool_and_the_next_start_sends_it_first()
    {
        using var dir = new TempDir();
        var down = Hung();
        var first = new QueuedSink(down, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System, dir.Path);
        await first.SendAsync(Numbered(1, 3), CancellationToken.None);
        await first.SendAsync(Numbered(2, 3), CancellationToken.None);
        await first.DisposeAsync();
        Assert.That(first.Counts.Dropped, Is.EqualTo(0));
        Assert.That(first.Counts.Spooled, Is.EqualTo(6));

        var up = new FakeSender();
        await using var second = new QueuedSink(up, Fast, TimeProvider.System, dir.Path);
        var result = await second.SendAsync(Numbered(3, 3), CancellationToken.None);

        Assert.That(result, Is.EqualTo(SendResult.Ok(3)));
        Assert.That(up.Received.Select(p => p.Value), Is.EqualTo(Values((1, 3), (2, 3), (3, 3))), "the spool first, then the new run");
        Assert.That(second.Counts.SpoolBytes, Is.EqualTo(0));
    }

    [Test]
    public async Task A_batch_stopped_half_way_resumes_after_what_the_backend_took()
    {
        using var dir = new TempDir();
        var flaky = new FakeSender(itemsPerRequest: 2);
        flaky.Answer([DeliveryOutcome.Sent, DeliveryOutcome.Sent, .. Enumerable.Repeat(DeliveryOutcome.Retry("HTTP 503"), 100_000)]);
        var first = new QueuedSink(flaky, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System, dir.Path);
        await first.SendAsync(Numbered(1, 10), CancellationToken.None);
        await Eventually.WaitAsync(() => first.Counts.Sent == 4, "two requests of two points taken");
        // Two more runs: the queue overflows, so the batch in delivery goes to the spool ahead of them.
        await first.SendAsync(Numbered(2, 4), CancellationToken.None);
        await first.SendAsync(Numbered(3, 4), CancellationToken.None);
        await first.DisposeAsync();
        Assert.That(first.Counts.Dropped, Is.EqualTo(0));

        var up = new FakeSender(itemsPerRequest: 3);
        await using var second = new QueuedSink(up, Fast, TimeProvider.System, dir.Path);
        await Eventually.WaitAsync(() => second.Counts.SpoolBytes == 0 && second.Counts.Sent == 14, "the spool drains");

        double[] all = [.. flaky.Received.Select(p => p.Value), .. up.Received.Select(p => p.Value)];
        Assert.That(all, Is.EqualTo(Values((1, 10), (2, 4), (3, 4))), "every point once, in order, across the restart");
    }

    [Test]
    public async Task Without_room_in_the_spool_batches_are_dropped_counted_and_the_error_says_why()
    {
        using var dir = new TempDir();
        var sender = Hung();
        await using var sink = new QueuedSink(sender, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20), SpoolMaxBytes = 100 }, TimeProvider.System, dir.Path);

        await SendRunsAsync(sink, 4);

        Assert.That(sink.Counts.Dropped, Is.GreaterThan(0));
        Assert.That(sink.Counts.Spooled, Is.EqualTo(0), "not one batch fits in 100 bytes");
        Assert.That(sink.Counts.LastDropReason, Does.Contain("queue full (10 items)").And.Contain("spool full"));
        sender.Gate.SetResult();
    }

    [Test]
    public async Task A_spool_held_by_another_process_is_not_shared_and_the_drop_names_the_reason()
    {
        using var dir = new TempDir();
        using var holder = new DiskSpool(dir.Path, 1 << 20);
        var sender = Hung();
        await using var sink = new QueuedSink(sender, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System, dir.Path);

        await SendRunsAsync(sink, 4);

        Assert.That(sink.Counts.LastDropReason, Does.Contain("in use by another process"));
        Assert.That(holder.IsEmpty, Is.True, "nothing was written into a spool another process holds");
        sender.Gate.SetResult();
    }

    [Test]
    public async Task Without_a_spool_folder_a_stop_drops_and_counts_as_before()
    {
        var sender = Hung();
        var sink = new QueuedSink(sender, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System);
        await sink.SendAsync(Numbered(1, 3), CancellationToken.None);

        await sink.DisposeAsync();

        Assert.That(sink.Counts, Is.EqualTo(new SinkCounts(3, 0, 0, 3, 0) { LastDropReason = "shut down before the backend took it: flush_timeout reached; no spool" }));
    }

    [Test]
    public async Task Runs_waiting_behind_a_slow_backend_go_out_merged_in_order_and_each_learns_its_own_result()
    {
        var sender = Hung();
        await using var sink = new QueuedSink(sender, Fast with { QueueSize = 1000 }, TimeProvider.System);
        var sends = new List<Task<SendResult>> { sink.SendAsync(Numbered(1, 3), CancellationToken.None) };
        await sender.Entered.Task;
        sends.AddRange(Enumerable.Range(2, 4).Select(s => sink.SendAsync(Numbered(s, 3), CancellationToken.None)));
        await Eventually.WaitAsync(() => sink.Counts.Received == 15, "five runs queued");

        sender.Gate.SetResult();
        var results = await Task.WhenAll(sends);

        Assert.That(results, Has.All.EqualTo(SendResult.Ok(3)));
        Assert.That(sender.Received.Select(p => p.Value), Is.EqualTo(Values((1, 3), (2, 3), (3, 3), (4, 3), (5, 3))));
        Assert.That(sender.Requests, Is.EqualTo(2), "the first run alone (already in delivery), the four behind it in one request");
    }

    [Test]
    public async Task Runs_of_different_Falco_versions_are_not_merged()
    {
        var sender = Hung();
        await using var sink = new QueuedSink(sender, Fast with { QueueSize = 1000 }, TimeProvider.System);
        string?[] versions = ["0.40.0", "0.40.0", "0.41.0", "0.41.0", null];
        var sends = new List<Task<SendResult>> { sink.SendAsync(Numbered(1, 2) with { FalcoVersion = versions[0] }, CancellationToken.None) };
        await sender.Entered.Task;
        sends.AddRange(versions.Skip(1).Select((v, i) => sink.SendAsync(Numbered(i + 2, 2) with { FalcoVersion = v }, CancellationToken.None)));
        await Eventually.WaitAsync(() => sink.Counts.Received == 10, "five runs queued");

        sender.Gate.SetResult();
        await Task.WhenAll(sends);

        Assert.That(sender.Versions, Is.EqualTo(new[] { "0.40.0", "0.40.0", "0.41.0", null }), "one request per version run, in order");
        Assert.That(sender.Received.Select(p => p.Value), Is.EqualTo(Values((1, 2), (2, 2), (3, 2), (4, 2), (5, 2))));
    }

    [Test]
    public async Task Progress_made_after_the_batch_in_delivery_went_to_the_spool_resumes_exactly()
    {
        using var dir = new TempDir();
        var first = new SteppedSender(itemsPerRequest: 2);
        var sink = new QueuedSink(first, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System, dir.Path);
        _ = sink.SendAsync(Numbered(1, 10), CancellationToken.None);
        first.Allow(2);
        await Eventually.WaitAsync(() => sink.Counts.Sent == 4, "two requests of run 1 taken");

        // Two more runs overflow the queue: run 1 (4 of 10 done) goes to the spool first, then run 2.
        _ = sink.SendAsync(Numbered(2, 4), CancellationToken.None);
        _ = sink.SendAsync(Numbered(3, 4), CancellationToken.None);
        Assert.That(sink.Counts.SpoolBytes, Is.GreaterThan(0));
        first.Allow(2);
        await Eventually.WaitAsync(() => sink.Counts.Sent == 8, "two more requests of run 1, now from its spooled copy");
        await sink.DisposeAsync();

        var up = new FakeSender(itemsPerRequest: 3);
        await using var second = new QueuedSink(up, Fast, TimeProvider.System, dir.Path);
        await Eventually.WaitAsync(() => second.Counts.SpoolBytes == 0 && second.Counts.Sent >= 10, "the spool drains");

        double[] all = [.. first.Received.Select(p => p.Value), .. up.Received.Select(p => p.Value)];
        Assert.That(all, Is.EqualTo(Values((1, 10), (2, 4), (3, 4))), "every point once, in order");
    }

    [Test]
    public async Task Progress_of_a_spooled_batch_that_is_read_back_alone_resumes_exactly()
    {
        // As above, but runs 2 and 3 come from another Falco version: the next start reads run 1's record alone
        // (batches of different versions are not merged), so its progress is applied to that record by itself.
        using var dir = new TempDir();
        var first = new SteppedSender(itemsPerRequest: 2);
        var sink = new QueuedSink(first, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(20) }, TimeProvider.System, dir.Path);
        _ = sink.SendAsync(Numbered(1, 10), CancellationToken.None);
        first.Allow(2);
        await Eventually.WaitAsync(() => sink.Counts.Sent == 4, "two requests of run 1 taken");

        _ = sink.SendAsync(Numbered(2, 4) with { FalcoVersion = "0.41.0" }, CancellationToken.None);
        _ = sink.SendAsync(Numbered(3, 4) with { FalcoVersion = "0.41.0" }, CancellationToken.None);
        Assert.That(sink.Counts.SpoolBytes, Is.GreaterThan(0));
        first.Allow(2);
        await Eventually.WaitAsync(() => sink.Counts.Sent == 8, "two more requests of run 1, now from its spooled copy");
        await sink.DisposeAsync();

        var up = new FakeSender(itemsPerRequest: 3);
        await using var second = new QueuedSink(up, Fast, TimeProvider.System, dir.Path);
        await Eventually.WaitAsync(() => second.Counts.SpoolBytes == 0 && second.Counts.Sent >= 10, "the spool drains");

        double[] all = [.. first.Received.Select(p => p.Value), .. up.Received.Select(p => p.Value)];
        Assert.That(all, Is.EqualTo(Values((1, 10), (2, 4), (3, 4))), "every point once, in order");
    }

    /// <summary>A backend that answers one request per permit the test gives, and waits otherwise.</summary>
    private sealed class SteppedSender(int itemsPerRequest) : IBatchSender<Batch>
    {
        private readonly SemaphoreSlim _permits = new(0);

        public string Name => "stepped";

        public List<MetricPoint> Received { get; } = [];

        public void Allow(int requests) => _permits.Release(requests);

        public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
        {
            await _permits.WaitAsync(cancellationToken);
            int points = Math.Min(batch.RemainingPoints.Length, itemsPerRequest);
            lock (Received)
            {
                Received.AddRange(batch.RemainingPoints.Span[..points].ToArray());
            }

            return new SendAttempt(DeliveryOutcome.Sent, points, 0);
        }

        public void Dispose() => _permits.Dispose();
    }
}
