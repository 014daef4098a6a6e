namespace FalcoCheck.Configuration;

/// <summary>
/// One <c>extra_metrics</c> entry: a raw metric name (or a regular expression when it contains regex
/// metacharacters), the name to send it as and the type to force, as Datadog's OpenMetrics V2 reads them.
/// </summary>
internal sealed record ExtraMetric(string Pattern, bool IsRegex, string? Name, string? Type);
