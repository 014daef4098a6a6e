using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Alerts;

/// <summary>
/// Where every input hands its bytes (the receiver a body, the file follower and stdin chunks of lines): read,
/// normalize, enrich, then queue for every log sink at once, or for none when a queue and its spool are full, so
/// the caller can answer 503 or wait and retry without duplicating alerts in the sinks that had room.
/// </summary>
internal sealed class AlertIntake(AlertContext context, IReadOnlyList<DeliveryQueue<LogBatch>> sinks, AlertCounter counter)
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

        // The reserve step: every queue is asked first, under one lock, so the alerts go to all sinks or to none.
        lock (_gate)
        {
            foreach (DeliveryQueue<LogBatch> sink in sinks)
            {
                if (!sink.HasRoomFor(new LogBatch(entries)))
                {
                    return IntakeResult.QueuesFull(batch);
                }
            }

            foreach (DeliveryQueue<LogBatch> sink in sinks)
            {
                // Each sink its own batch (its own cursor); a disk that refuses the write after all is counted there.
                sink.Enqueue(new LogBatch(entries));
            }
        }

        counter.Add(batch.Alerts);
        return new IntakeResult(batch.Alerts.Count, batch.Rejected, batch.Reasons, Full: false);
    }
}
