namespace FalcoCheck.Alerts;

/// <summary>
/// What became of one body or chunk: how many alerts were queued for every log sink, how many were not alerts
/// (with reasons), and whether the queues and spools were too full to take them (then nothing was queued).
/// </summary>
internal sealed record IntakeResult(int Accepted, int Rejected, IReadOnlyList<string> Reasons, bool Full)
{
    public static IntakeResult QueuesFull(AlertBatch batch) => new(0, batch.Rejected, batch.Reasons, Full: true);
}
