using FalcoCheck.Configuration;

namespace FalcoCheck.Sinks.Logs;

/// <summary>The Datadog logs sink: the intake's base URL, the key, and the timeout of one request.</summary>
internal sealed record DatadogLogsOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary><c>https://http-intake.logs.&lt;site&gt;</c> or the user's URL; the sink appends <c>/api/v2/logs</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>Sent as <c>DD-API-KEY</c>, and cut out of anything the intake quotes back.</summary>
    public required Secret ApiKey { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The agent's proxy; null uses the environment's.</summary>
    public Scraping.OutboundProxy? Proxy { get; init; }

    /// <summary>The intake host of a site (https://docs.datadoghq.com/api/latest/logs/#send-logs).</summary>
    public static Uri SiteUrl(string site) => new($"https://http-intake.logs.{site}");
}
