namespace FalcoCheck.Sinks;

/// <summary>
/// A sink's delivery counts, in items (series points and service checks), for self-telemetry and reports.
/// <c>Retried</c> counts items in requests that were sent again.
/// </summary>
internal readonly record struct SinkCounts(long Received, long Sent, long Retried, long Dropped, int Queued);
