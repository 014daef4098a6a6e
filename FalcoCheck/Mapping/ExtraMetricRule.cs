using System.Text.RegularExpressions;

namespace FalcoCheck.Mapping;

/// <summary>One extra_metrics entry: which raw names it takes, the name to send, and an optional type override.</summary>
/// <param name="Match">Exact name or regular expression, anchored, on the prefix-less raw name.</param>
/// <param name="SentName">Name under the falco namespace; null keeps the raw name.</param>
/// <param name="TypeOverride">gauge, counter, monotonic_count, histogram or summary; null uses the family's # TYPE.</param>
internal sealed record ExtraMetricRule(Regex Match, string? SentName, string? TypeOverride);
