namespace FalcoCheck.Alerts;

/// <summary>
/// One alert after normalization and enrichment: the log document every log sink sends (UTF-8 JSON, one line, no
/// newline inside), and the facts <c>falco.alerts.count</c> is counted by.
/// </summary>
internal sealed record NormalizedAlert(
    string Rule,
    FalcoPriority Priority,
    string? Source,
    string Hostname,
    long TimestampNanos,
    byte[] Document)
{
    /// <summary>The rule's tags as Falco wrote them (the alert's <c>tags</c>), for <see cref="AlertRoute"/>'s tag filter.</summary>
    public IReadOnlyList<string> RuleTags { get; init; } = [];
}
