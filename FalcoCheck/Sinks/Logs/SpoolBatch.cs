namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// Entries read from the spool, not yet removed: <see cref="LogSpool.Commit"/> removes them once the sink has them.
/// <see cref="Skipped"/> counts entries that can never be sent (larger than a batch, or cut by a crash).
/// </summary>
internal sealed record SpoolBatch(List<byte[]> Entries, long Segment, long Start, long End, int Skipped);
