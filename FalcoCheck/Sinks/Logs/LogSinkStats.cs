namespace FalcoCheck.Sinks.Logs;

/// <summary>Counts of one log sink since start (CONVENTIONS 12): queued, sent, retried, dropped, left in the spool at stop.</summary>
internal sealed class LogSinkStats
{
    private long _queued;
    private long _sent;
    private long _retries;
    private long _dropped;

    public long Queued => Interlocked.Read(ref _queued);

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Attempts repeated after a retryable failure (batches, not entries).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public long Dropped => Interlocked.Read(ref _dropped);

    public void AddQueued(long count) => Interlocked.Add(ref _queued, count);

    public void AddSent(long count) => Interlocked.Add(ref _sent, count);

    public void AddRetry() => Interlocked.Increment(ref _retries);

    public void AddDropped(long count) => Interlocked.Add(ref _dropped, count);
}
