using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Runtime;

/// <summary>One sink as <c>falcocheck status</c> shows it: its delivery queue's counts, and how its requests went.</summary>
internal sealed record SinkReport
{
    public required string Name { get; init; }

    /// <summary>Series, service checks and events waiting in the sink's queue (memory).</summary>
    public required long Queue { get; init; }

    /// <summary>The queue's <c>queue_size</c>, in items; beyond it the oldest batches go to the spool.</summary>
    public required int QueueCapacity { get; init; }

    /// <summary>Items in requests the sink sent again after a failed attempt.</summary>
    public long Retried { get; init; }

    /// <summary>Items moved to the disk spool so far (the queue was full, or the daemon stopped first).</summary>
    public long Spooled { get; init; }

    /// <summary>Bytes waiting in the disk spool now.</summary>
    public long SpoolBytes { get; init; }

    /// <summary>Items the backend took.</summary>
    public required long Sent { get; init; }

    /// <summary>Items lost: refused by the backend for good, or neither the queue nor the spool had room.</summary>
    public required long Dropped { get; init; }

    /// <summary>Requests the backend refused for good (the last reason is <see cref="LastError"/>).</summary>
    public required long Failed { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public static SinkReport Of(QueuedSink sink) => Of(sink.Queue);

    /// <summary>Any delivery queue: a metrics sink's, or an alert log sink's (<c>alerts.sinks</c>).</summary>
    public static SinkReport Of<TBatch>(DeliveryQueue<TBatch> queue)
        where TBatch : QueuedBatch, ISpooledBatch<TBatch>
    {
        ArgumentNullException.ThrowIfNull(queue);
        var counts = queue.Counts;
        return new SinkReport
        {
            Name = queue.Name,
            Queue = counts.Queued,
            QueueCapacity = queue.Options.QueueSize,
            Retried = counts.Retried,
            Spooled = counts.Spooled,
            SpoolBytes = counts.SpoolBytes,
            Sent = counts.Sent,
            Dropped = counts.Dropped,
            Failed = queue.RejectedRequests,
            LastSuccess = queue.LastSuccess,
            LastError = queue.LastError ?? counts.LastDropReason,
            LastErrorAt = queue.LastErrorAt,
        };
    }
}
