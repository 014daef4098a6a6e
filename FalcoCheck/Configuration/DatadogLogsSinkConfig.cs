namespace FalcoCheck.Configuration;

/// <summary>
/// Sends alerts to the Datadog logs intake v2 (<c>POST /api/v2/logs</c>). <see cref="Url"/> is
/// <c>https://http-intake.logs.&lt;site&gt;</c> unless the file gives one (a proxy, a test receiver).
/// </summary>
internal sealed record DatadogLogsSinkConfig(SourcePosition Position, Secret ApiKey, Uri Url, TimeSpan Timeout)
    : SinkConfig(TypeName, Position)
{
    public const string TypeName = "datadog_logs";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The intake host of a site (https://docs.datadoghq.com/api/latest/logs/#send-logs).</summary>
    public static Uri SiteUrl(string site) => new($"https://http-intake.logs.{site}");
}
