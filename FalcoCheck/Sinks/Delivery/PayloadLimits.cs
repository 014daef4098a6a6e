namespace FalcoCheck.Sinks.Delivery;

/// <summary>A backend's request size limits, in bytes; encoders stop before the raw limit, senders halve the batch past the compressed one.</summary>
internal readonly record struct PayloadLimits(int MaxCompressedBytes, int MaxRawBytes);
