using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>The Datadog sink: where (a site's API or any URL speaking the same API), with which key and format.</summary>
internal sealed record DatadogOptions
{
    public const string DefaultSite = "datadoghq.com";

    /// <summary>
    /// Base URL: <c>https://api.&lt;site&gt;</c> or the user's <c>url</c>; the sink appends <c>/api/v2/series</c>,
    /// <c>/api/v1/series</c> and <c>/api/v1/check_run</c>.
    /// </summary>
    public required HttpEndpointOptions Endpoint { get; init; }

    /// <summary>Sent as <c>DD-API-KEY</c>; optional for a non-Datadog URL (VictoriaMetrics ignores it).</summary>
    public Secret? ApiKey { get; init; }

    public DatadogApiVersion ApiVersion { get; init; } = DatadogApiVersion.V2;

    /// <summary>Series body compression: gzip (default), deflate, zstd (v2 only) or none.</summary>
    public Compression Compression { get; init; } = Compression.Gzip;

    /// <summary>Send service checks to <c>/api/v1/check_run</c>.</summary>
    public bool SendServiceChecks { get; init; } = true;

    public DeliveryOptions Delivery { get; init; } = new();

    /// <summary>The API base of a Datadog site: <c>datadoghq.eu</c> → <c>https://api.datadoghq.eu</c>.</summary>
    public static Uri SiteUrl(string site) => new("https://api." + site);
}
