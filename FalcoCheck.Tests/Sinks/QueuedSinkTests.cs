using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Tests.Sinks;

/// <summary>The queue every network sink shares: retries, splits, rejections, overflow and shutdown, all counted.</summary>
internal sealed class QueuedSinkTests
{
    /// <summary>Quick retries and a long wait for delivery: the tests decide when the backend answers.</summary>
    public static readonly DeliveryOptions Fast = new()
    {
        RetryInitialBackoff = TimeSpan.FromMilliseconds(1),
        RetryMaxBackoff = TimeSpan.FromMilliseconds(5),
        FlushTimeout = TimeSpan.FromSeconds(30),
    };

    private static Submission Of(MetricPoint[] points) => new("test", points, []);

    [Test]
    public async Task A_failing_backend_is_retried_until_it_takes_every_point_exactly_once()
    {
        var sender = new FakeSender(itemsPerRequest: 2);
        sender.Answer(DeliveryOutcome.Retry("HTTP 500"), DeliveryOutcome.Sent, DeliveryOutcome.Retry("connection refused"));
        await using var sink = new QueuedSink(sender, Fast, TimeProvider.System);
        var points = SinkSamples.Many(5);

        var result = await sink.SendAsync(Of(points), CancellationToken.None);

        Assert.That(result, Is.EqualTo(SendResult.Ok(5)));
        Assert.That(sender.Received.Select(p => p.Value), Is.EqualTo(points.Select(p => p.Value)));
        Assert.That(sink.Counts, Is.EqualTo(new SinkCounts(5, 5, 4, 0, 0)), "two requests of two points were sent again");
    }

    [Test]
    public async Task A_rejected_request_drops_its_points_counts_them_and_says_why()
    {
        var sender = new FakeSender(itemsPerRequest: 2);
        sender.Answer(DeliveryOutcome.Rejected("HTTP 403 Forbidden"));
        await using var sink = new QueuedSink(sender, Fast, TimeProvider.System);

        var result = await sink.SendAsync(Of(SinkSamples.Many(5)), CancellationToken.None);

        Assert.That(result.Success, Is.False);
        Assert.That(result.Error, Is.EqualTo("2 of 5 item(s) not delivered: HTTP 403 Forbidden"));
        Assert.That(sender.Received, Has.Count.EqualTo(3));
        Assert.That(sink.Counts, Is.EqualTo(new SinkCounts(5, 3, 0, 2, 0) { LastDropReason = "HTTP 403 Forbidden" }));
    }

    [Test]
    public async Task Payload_too_large_halves_the_request_until_it_fits()
    {
        var sender = new FakeSender();
        sender.Answer(DeliveryOutcome.Split("HTTP 413"), DeliveryOutcome.Split("HTTP 413"));
        await using var sink = new QueuedSink(sender, Fast, TimeProvider.System);
        var points = SinkSamples.Many(8);

        var result = await sink.SendAsync(Of(points), CancellationToken.None);

        Assert.That(result, Is.EqualTo(SendResult.Ok(8)));
        Assert.That(sender.Received.Select(p => p.Value), Is.EqualTo(points.Select(p => p.Value)));
        Assert.That(sender.Requests, Is.EqualTo(2 + 4), "8 refused, 4 refused, then four requests of 2");
    }

    [Test]
    public async Task A_hung_backend_never_holds_the_caller_past_flush_timeout_and_a_full_queue_drops_the_oldest()
    {
        var sender = new FakeSender { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var options = Fast with { QueueSize = 10, FlushTimeout = TimeSpan.FromMilliseconds(50) };
        await using var sink = new QueuedSink(sender, options, TimeProvider.System);

        var first = await sink.SendAsync(Of(SinkSamples.Many(4)), CancellationToken.None);
        for (int i = 0; i < 3; i++)
        {
            await sink.SendAsync(Of(SinkSamples.Many(4)), CancellationToken.None);
        }

        Assert.That(first.Success, Is.False);
        Assert.That(first.Error, Does.Contain("4 item(s) stay queued for retry"));
        var counts = sink.Counts;
        Assert.That(counts.Received, Is.EqualTo(16));
        Assert.That(counts.Queued, Is.LessThanOrEqualTo(12), "the batch in flight plus what fits in queue_size");
        Assert.That(counts.Dropped, Is.EqualTo(16 - counts.Queued));

        sender.Gate.SetResult();
        await sink.DisposeAsync();
        Assert.That(sink.Counts.Sent, Is.EqualTo(counts.Queued), "what was kept is delivered on shutdown");
        Assert.That(sink.Counts.Dropped + sink.Counts.Sent, Is.EqualTo(16), "every point is either sent or counted as dropped");
    }

    [Test]
    public async Task Shutdown_drops_and_counts_what_the_backend_did_not_take_within_the_grace_period()
    {
        var sender = new FakeSender { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var sink = new QueuedSink(sender, Fast with { FlushTimeout = TimeSpan.FromMilliseconds(50) }, TimeProvider.System);
        await sink.SendAsync(Of(SinkSamples.Many(3)), CancellationToken.None);

        await sink.DisposeAsync();

        Assert.That(sink.Counts, Is.EqualTo(new SinkCounts(3, 0, 0, 3, 0) { LastDropReason = "shut down before the backend took it: flush_timeout reached; no spool" }));
        var late = await sink.SendAsync(Of(SinkSamples.Many(1)), CancellationToken.None);
        Assert.That(late.Error, Does.Contain("shut down"));
    }
}
