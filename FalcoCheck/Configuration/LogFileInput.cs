namespace FalcoCheck.Configuration;

/// <summary>
/// One <c>logs:</c> entry of conf.yaml with <c>type: file</c>, the Datadog Agent's log collection for the Falco
/// check: the file is followed like <c>alerts.files</c>, its alerts carrying the entry's <c>service</c> and <c>tags</c>.
/// </summary>
internal sealed record LogFileInput(string Path, string? Service, IReadOnlyList<string> Tags, SourcePosition Position);
