using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Configuration;

/// <summary>
/// Sends alerts to the Datadog logs intake v2 (<c>POST /api/v2/logs</c>). <see cref="Url"/> is
/// <c>https://http-intake.logs.&lt;site&gt;</c> unless the file gives one (a proxy, a test receiver).
/// </summary>
internal sealed record DatadogLogsSinkConfig(SourcePosition Position, Secret ApiKey, Uri Url, TimeSpan Timeout, Scraping.OutboundProxy? Proxy = null)
    : SinkConfig(TypeName, Position)
{
    public const string TypeName = "datadog_logs";

    /// <summary>What the sink takes (the sinks know nothing of the config file).</summary>
    public DatadogLogsOptions Options => new() { Url = Url, ApiKey = ApiKey, Timeout = Timeout, Proxy = Proxy };
}
