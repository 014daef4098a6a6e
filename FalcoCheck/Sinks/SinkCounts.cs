namespace FalcoCheck.Sinks;

/// <summary>
/// A sink's delivery counts (<see cref="Delivery.DeliveryQueue{TBatch}"/>), in items — series points, service checks
/// and events for metrics sinks, alerts for log sinks — for <c>status</c>, <c>falco.check.sink.*</c> and the alert
/// pipeline. <c>Retried</c> counts items in requests that were sent again.
/// </summary>
internal readonly record struct SinkCounts(long Received, long Sent, long Retried, long Dropped, int Queued)
{
    /// <summary>Items moved to the disk spool so far (a full queue, or a stop before the backend took them).</summary>
    public long Spooled { get; init; }

    /// <summary>Bytes waiting in the disk spool now (including what an earlier process left).</summary>
    public long SpoolBytes { get; init; }

    /// <summary>Why items were last dropped (queue and spool full, no spool, refused by the backend), for the log.</summary>
    public string? LastDropReason { get; init; }
}
