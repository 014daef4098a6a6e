namespace FalcoCheck.Sinks;

/// <summary>
/// A sink's delivery counts, in items (series points and service checks), for self-telemetry and reports.
/// <c>Retried</c> counts items in requests that were sent again.
/// </summary>
internal readonly record struct SinkCounts(long Received, long Sent, long Retried, long Dropped, int Queued)
{
    /// <summary>Items moved to the disk spool so far (a full queue, or a stop before the backend took them).</summary>
    public long Spooled { get; init; }

    /// <summary>Bytes waiting in the disk spool now (including what an earlier process left).</summary>
    public long SpoolBytes { get; init; }
}
