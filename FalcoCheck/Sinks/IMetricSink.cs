namespace FalcoCheck.Sinks;

/// <summary>
/// A metrics backend. Each sink owns its encoding, batching and delivery; a failing sink reports it in its
/// <see cref="SendResult"/> and never blocks the scrape or the other sinks.
/// </summary>
internal interface IMetricSink : IAsyncDisposable
{
    /// <summary>Short name for reports, e.g. <c>console</c> or <c>file:/var/log/falcocheck/metrics.jsonl</c>.</summary>
    string Name { get; }

    Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken);

    /// <summary>What the sink received, sent, retried and dropped so far (zeros for sinks that do not count).</summary>
    SinkCounts Counts => default;
}
