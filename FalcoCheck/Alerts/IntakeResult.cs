namespace FalcoCheck.Alerts;

/// <summary>
/// What became of one body or chunk: how many alerts were queued (for every log sink they go to that had room; a
/// full one dropped them for itself), how many were not alerts (with reasons), and whether no log sink they go to
/// had room in its queue or spool (then nothing was queued).
/// </summary>
internal sealed record IntakeResult(int Accepted, int Rejected, IReadOnlyList<string> Reasons, bool Full)
{
    /// <summary>Falco metrics snapshots read (turned into metrics, not queued as alerts).</summary>
    public int Snapshots { get; init; }

    /// <summary>Snapshot fields that were skipped, each naming its alert's line (or place) and the field.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    public static IntakeResult QueuesFull(AlertBatch batch) => new(0, batch.Rejected, batch.Reasons, Full: true);
}
