using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Alerts;

/// <summary>
/// Where every input hands its bytes (the receiver a body, the file follower and stdin chunks of lines): read,
/// normalize, enrich, then queue for every log sink at once, or for none when a queue and its spool are full, so
/// the caller can answer 503 or wait and retry without duplicating alerts in the sinks that had room.
/// </summary>
internal sealed class AlertIntake(AlertContext context, IReadOnlyList<LogSinkWorker> sinks, AlertCounter counter)
{
    private readonly Lock _gate = new();

    public AlertContext Context => context;

    public IntakeResult Submit(ReadOnlySpan<byte> body)
    {
        AlertBatch batch = AlertBodyReader.Read(body, context);
        if (batch.Alerts.Count == 0)
        {
            return new IntakeResult(0, batch.Rejected, batch.Reasons, Full: false);
        }

        var entries = new byte[batch.Alerts.Count][];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = batch.Alerts[i].Document;
        }

        lock (_gate)
        {
            foreach (LogSinkWorker sink in sinks)
            {
                if (!sink.Queue.CanAccept(entries))
                {
                    return IntakeResult.QueuesFull(batch);
                }
            }

            foreach (LogSinkWorker sink in sinks)
            {
                if (sink.Queue.Enqueue(entries))
                {
                    sink.Stats.AddQueued(entries.Length);
                }
                else
                {
                    // The spool had room a moment ago but the disk refused the write.
                    sink.Stats.AddDropped(entries.Length);
                }
            }
        }

        counter.Add(batch.Alerts);
        return new IntakeResult(batch.Alerts.Count, batch.Rejected, batch.Reasons, Full: false);
    }
}
