namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A backend's encoder and transport behind a <see cref="DeliveryQueue{TBatch}"/>: each call encodes items from the
/// front of the batch into one request (as many as the backend's limits and
/// <see cref="QueuedBatch.MaxItemsPerRequest"/> allow), sends it once and says how many items it carried. The queue
/// retries; a sender never does, and never throws for a delivery failure.
/// </summary>
internal interface IBatchSender<in TBatch> : IDisposable where TBatch : QueuedBatch
{
    /// <summary>For reports and errors: the backend and its endpoint, no credentials.</summary>
    string Name { get; }

    /// <summary>True when the backend takes events (Datadog); other metric senders never see a batch's events.</summary>
    bool SendsEvents => false;

    /// <summary>False when each submission must reach the sender alone (the console's table names its instance).</summary>
    bool MergesBatches => true;

    Task<SendAttempt> SendAsync(TBatch batch, CancellationToken cancellationToken);
}
