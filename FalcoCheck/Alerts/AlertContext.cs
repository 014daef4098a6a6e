namespace FalcoCheck.Alerts;

/// <summary>What the normalizer adds that the alert does not carry: our host, service and configured tags, and the clock.</summary>
/// <param name="Hostname">Used when the alert has no <c>hostname</c> (Falco before 0.31, or <c>json_include_…</c> off).</param>
/// <param name="BaseTags">The agent's <c>tags</c> followed by <c>alerts.tags</c>.</param>
internal sealed record AlertContext(string Hostname, string Service, IReadOnlyList<string> BaseTags, TimeProvider Clock)
{
    /// <summary>
    /// The Falco output the alerts came by: <c>http_output</c> (the receiver), <c>file_output</c> (a followed file) or
    /// <c>program_output</c> (stdin). Metrics from snapshots are tagged <c>falco_output:</c> with it.
    /// </summary>
    public string Output { get; init; } = HttpOutput;

    public const string HttpOutput = "http_output";

    public const string FileOutput = "file_output";

    public const string ProgramOutput = "program_output";
}
