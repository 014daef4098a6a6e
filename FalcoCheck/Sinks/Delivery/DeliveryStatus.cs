namespace FalcoCheck.Sinks.Delivery;

/// <summary>What became of one request to a backend, as <see cref="RetryClassifier"/> reads it.</summary>
internal enum DeliveryStatus : byte
{
    /// <summary>The backend took the payload.</summary>
    Sent,

    /// <summary>A transient failure (connection error, timeout, 408, 429, 5xx but 501): send the same payload again.</summary>
    Retry,

    /// <summary>413: the payload is too large for this backend; send the same items in smaller requests.</summary>
    Split,

    /// <summary>A permanent failure (400, 401, 403, 404, 501…): retrying cannot help; the items are dropped and counted.</summary>
    Rejected,
}
