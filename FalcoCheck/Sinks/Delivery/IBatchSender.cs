namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A backend's encoder and transport behind <see cref="QueuedSink"/>: each call encodes items from the front of
/// the batch into one request (as many as the backend's limits and <see cref="Batch.MaxItemsPerRequest"/> allow),
/// sends it and says how many items it carried. Never throws for a delivery failure.
/// </summary>
internal interface IBatchSender : IDisposable
{
    /// <summary>For reports and errors: the backend and its endpoint, no credentials.</summary>
    string Name { get; }

    /// <summary>Requests sent again by retries so far (the sender's own count).</summary>
    long Retries { get; }

    /// <summary>True when the backend takes events (Datadog); other senders never see a batch's events.</summary>
    bool SendsEvents => false;

    Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken);
}
