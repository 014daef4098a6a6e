namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// What a <see cref="DeliveryQueue{TBatch}"/> holds: one submission (a run's points, an intake's alerts) with how far
/// its delivery got. Senders take items from the front and the queue moves the cursor only for what the backend
/// took, so a batch split over several requests is never sent twice or partly lost. The kinds of item are the
/// subclass's (<see cref="Batch"/> for metrics, <c>LogBatch</c> for alerts); the bookkeeping is here.
/// </summary>
internal abstract class QueuedBatch
{
    /// <summary>The batches this one was merged from; they complete when it does.</summary>
    private QueuedBatch[] _parts = [];

    public abstract int Total { get; }

    public abstract int Remaining { get; }

    /// <summary>Most items one request may carry; lowered when a backend answers 413.</summary>
    public int MaxItemsPerRequest { get; set; } = int.MaxValue;

    public int Sent { get; private set; }

    public int Dropped { get; private set; }

    /// <summary>Why items of this batch were dropped, for the submitter.</summary>
    public string? Error { get; set; }

    /// <summary>Completed when every item is sent or dropped.</summary>
    public TaskCompletionSource<SendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether <paramref name="next"/> may be merged behind this batch into one delivery (same Falco version).</summary>
    public virtual bool Joins(QueuedBatch next) => true;

    /// <summary>Moves the cursors past what <paramref name="attempt"/> carried, counted as sent or dropped.</summary>
    public void Advance(SendAttempt attempt, bool sent)
    {
        Move(attempt);
        if (sent)
        {
            Sent += attempt.Items;
        }
        else
        {
            Dropped += attempt.Items;
        }
    }

    /// <summary>The smallest attempt that moves past one item: what a refused request that carried nothing drops.</summary>
    public abstract SendAttempt FirstItem();

    /// <summary>Drops whatever is left (queue overflow, shutdown) and completes the batch.</summary>
    public int DropRest(string reason)
    {
        int rest = Remaining;
        Error ??= reason;
        Advance(Rest(), sent: false);
        Complete();
        return rest;
    }

    /// <summary>The batch went to the disk spool: its submitter learns that it is not delivered yet, but not lost.</summary>
    public void CompleteSpooled(string reason)
    {
        Completion.TrySetResult(SendResult.Failed(reason));
        foreach (var part in _parts)
        {
            part.CompleteSpooled(reason);
        }
    }

    public void Complete()
    {
        string error = $"{Dropped} of {Total} item(s) not delivered: {Error}";
        Completion.TrySetResult(Dropped == 0 ? SendResult.Ok(Sent) : SendResult.Failed(error));
        foreach (var part in _parts)
        {
            // Which part lost the items is not tracked: each learns of the merged request's loss.
            part.Completion.TrySetResult(Dropped == 0 ? SendResult.Ok(part.Total) : SendResult.Failed(error));
        }
    }

    /// <summary>Records the batches a merged one stands for.</summary>
    protected void MergedFrom(IEnumerable<QueuedBatch> parts) => _parts = [.. parts];

    /// <summary>Moves the cursors by the attempt's counts, without counting.</summary>
    protected abstract void Move(SendAttempt attempt);

    /// <summary>An attempt that carries everything left.</summary>
    protected abstract SendAttempt Rest();
}
