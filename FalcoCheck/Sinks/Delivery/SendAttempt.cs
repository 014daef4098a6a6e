namespace FalcoCheck.Sinks.Delivery;

/// <summary>One request a sender made: its outcome and how many items of the batch it carried.</summary>
internal readonly record struct SendAttempt(DeliveryOutcome Outcome, int Points, int Checks)
{
    /// <summary>Events carried (only senders with <see cref="IBatchSender{TBatch}.SendsEvents"/> take any).</summary>
    public int Events { get; init; }

    public int Items => Points + Checks + Events;

    /// <summary>A request of a batch with one kind of item (alert log entries): only <see cref="Items"/> counts.</summary>
    public static SendAttempt Of(DeliveryOutcome outcome, int items) => new(outcome, items, 0);
}
