using Microsoft.Extensions.Logging;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A metrics sink on the shared delivery path: each submission becomes a <see cref="Batch"/> in the sink's
/// <see cref="DeliveryQueue{TBatch}"/>. <see cref="SendAsync"/> waits for its own submission at most
/// <see cref="DeliveryOptions.FlushTimeout"/>, so a dead backend never holds up the scrape or the other sinks.
/// </summary>
internal sealed class QueuedSink : IMetricSink
{
    private readonly bool _sendsEvents;

    /// <param name="spoolFolder">Where this sink's disk spool lives; null (or a zero spool size) for none.</param>
    /// <param name="startAfter">Delivery starts once this completes: a replaced sink drains before its successor sends.</param>
    public QueuedSink(IBatchSender<Batch> sender, DeliveryOptions options, TimeProvider clock, string? spoolFolder = null,
        ILogger? logger = null, Task? startAfter = null)
    {
        _sendsEvents = sender.SendsEvents;
        Queue = new DeliveryQueue<Batch>(sender, options, clock, spoolFolder, logger, startAfter);
    }

    public DeliveryQueue<Batch> Queue { get; }

    public string Name => Queue.Name;

    public SinkCounts Counts => Queue.Counts;

    public Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken) =>
        Queue.SendAsync(new Batch(submission, _sendsEvents), cancellationToken);

    /// <summary>Queues the submission and returns at once (the daemon's path: a scrape never waits for a backend).</summary>
    public void Enqueue(Submission submission) => Queue.Enqueue(new Batch(submission, _sendsEvents));

    public ValueTask DisposeAsync() => Queue.DisposeAsync();

    /// <inheritdoc cref="DeliveryQueue{TBatch}.DrainAsync"/>
    public ValueTask DrainAsync(CancellationToken deadline) => Queue.DrainAsync(deadline);
}
