namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// Entries read from the spool, not yet removed: <see cref="DiskSpool.Commit"/> removes them once the sink has them.
/// <see cref="Skipped"/> counts entries that can never be sent (larger than a batch, or cut by a crash).
/// </summary>
internal sealed record SpoolBatch(List<byte[]> Entries, long Segment, long Start, long End, int Skipped)
{
    /// <summary>What <see cref="DiskSpool.SaveProgress"/> recorded for the first entry, if anything.</summary>
    public string? Progress { get; init; }
}
