namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// Queueing and retry settings of a <see cref="DeliveryQueue{TBatch}"/>, the same for every sink (the same guarantees
/// for each backend, metrics and logs). Retry defaults follow Vector's request settings.
/// </summary>
internal sealed record DeliveryOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultMaxRetries = 5;
    public static readonly TimeSpan DefaultRetryInitialBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRetryMaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// About 90 runs of Falco's full page (111 items), about a megabyte: a second and a half of what 1,000 instances
    /// at 15 s produce, so a busy but healthy backend's slow answers are absorbed in memory, not spilled to disk.
    /// (OpenTelemetry .NET's 2048 held only 18 runs: at 1,000 instances and 100 ms per request, 37 of 1,334 runs went
    /// to the spool in a 20 s run of SinkThroughputBenchmark.)
    /// </summary>
    public const int DefaultQueueSize = 10_000;

    public static readonly TimeSpan DefaultFlushTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Disk spool per sink: a run of Falco's full metrics page (111 series and checks) takes about 34 KB, so 256 MiB
    /// holds about 19 minutes of 100 instances every 15 s, or 32 hours of one — an outage of minutes loses nothing.
    /// </summary>
    public const long DefaultSpoolMaxBytes = 256L * 1024 * 1024;

    /// <summary>One request, from connect to the end of the response.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Retries of one request (by the queue, the one retry layer) before the batch waits for the next round.</summary>
    public int MaxRetries { get; init; } = DefaultMaxRetries;

    /// <summary>First backoff; it doubles per retry, with jitter, up to <see cref="RetryMaxBackoff"/>.</summary>
    public TimeSpan RetryInitialBackoff { get; init; } = DefaultRetryInitialBackoff;

    /// <summary>Longest wait between two tries; a longer Retry-After ends the round and is honoured by the queue.</summary>
    public TimeSpan RetryMaxBackoff { get; init; } = DefaultRetryMaxBackoff;

    /// <summary>Items waiting in memory for delivery; beyond it the oldest batches go to the spool, or are dropped without one.</summary>
    public int QueueSize { get; init; } = DefaultQueueSize;

    /// <summary>
    /// How long a submission waits for its delivery before <c>SendAsync</c> reports it as still queued, and how long
    /// shutdown waits for the queue to drain.
    /// </summary>
    public TimeSpan FlushTimeout { get; init; } = DefaultFlushTimeout;

    /// <summary>Bytes of disk spool (under <c>state_dir/spool</c>) for batches that do not fit the queue; 0 turns it off.</summary>
    public long SpoolMaxBytes { get; init; } = DefaultSpoolMaxBytes;
}
