using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// A log backend for alerts. Entries are finished JSON documents (one per alert, no newline inside); the sink owns
/// their framing, compression and delivery. It reports failures in its result and never throws (CONVENTIONS 13).
/// </summary>
internal interface ILogSink : IAsyncDisposable
{
    /// <summary>Short name for logs and folder names, e.g. <c>datadog_logs</c> or <c>file:/var/log/alerts.jsonl</c>.</summary>
    string Name { get; }

    /// <summary>Most entries in one <see cref="SendAsync"/>.</summary>
    int MaxBatchEntries { get; }

    /// <summary>Most bytes of entries (before framing and compression) in one <see cref="SendAsync"/>.</summary>
    long MaxBatchBytes { get; }

    Task<DeliveryOutcome> SendAsync(IReadOnlyList<byte[]> entries, CancellationToken cancellationToken);
}
