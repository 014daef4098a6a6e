namespace FalcoCheck.Runtime;

/// <summary>One sink as <c>falcocheck status</c> shows it: its queue in the daemon, and how its sends went.</summary>
internal sealed record SinkReport
{
    public required string Name { get; init; }

    /// <summary>Submissions waiting in the daemon's queue for this sink.</summary>
    public required int Queue { get; init; }

    public required int QueueCapacity { get; init; }

    /// <summary>Series and service checks waiting in the sink's own delivery queue (network sinks).</summary>
    public long SinkQueued { get; init; }

    /// <summary>Series and service checks the sink sent again after a failed attempt (network sinks).</summary>
    public long Retried { get; init; }

    /// <summary>Items moved to the disk spool so far (the queue was full, or the daemon stopped first).</summary>
    public long Spooled { get; init; }

    /// <summary>Bytes waiting in the disk spool now.</summary>
    public long SpoolBytes { get; init; }

    /// <summary>Series and service checks delivered (as the sink counts them, or as its answers say).</summary>
    public required long Sent { get; init; }

    /// <summary>Series and service checks lost, in the daemon's queue or the sink's: queue full (oldest dropped) or not flushed before shutdown.</summary>
    public required long Dropped { get; init; }

    /// <summary>Submissions the sink refused (its error is <see cref="LastError"/>).</summary>
    public required long Failed { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }
}
