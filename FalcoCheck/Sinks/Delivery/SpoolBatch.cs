namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// Entries read from the spool, not yet removed: <see cref="DiskSpool.Commit"/> removes them once the sink has them.
/// <see cref="Skipped"/> counts entries that can never be sent (larger than a batch, or cut by a crash).
/// </summary>
internal sealed record SpoolBatch(List<byte[]> Entries, long Segment, long Start, long End, int Skipped)
{
    /// <summary>What <see cref="DiskSpool.SaveProgress"/> recorded for the first entry, if anything.</summary>
    public string? Progress { get; init; }

    /// <summary>Where each entry ends in the segment, so a reader can take only the first few (<see cref="Take"/>).</summary>
    public List<long> EntryEnds { get; init; } = [];

    /// <summary>The first <paramref name="count"/> entries only; committing it leaves the rest in the spool.</summary>
    public SpoolBatch Take(int count) => count >= Entries.Count ? this
        : this with { Entries = Entries[..count], End = EntryEnds[count - 1], EntryEnds = EntryEnds[..count] };
}
