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
    byte[] Document);
