namespace FalcoCheck.Runtime;

/// <summary>
/// A limit reached in one run: the instance setting that sets it, its value, how many items it refused, and what
/// those items were ("lines skipped", "series not submitted", "counters not counted").
/// </summary>
internal sealed record LimitHit(string Setting, long Limit, int Count, string Refused);
