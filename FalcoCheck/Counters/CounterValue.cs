namespace FalcoCheck.Counters;

/// <summary>A counter's last cumulative value and when it was seen (Unix milliseconds).</summary>
internal readonly record struct CounterValue(double Value, long SeenMs);
