using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Alertmanager;

/// <summary>The Alertmanager sink: where (with auth and TLS), how long an alert stays firing, and fixed labels.</summary>
internal sealed record AlertmanagerOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Alertmanager's base URL (<c>http://alertmanager:9093</c>, or with its route prefix); the sink appends <c>api/v2/alerts</c>.</summary>
    public required HttpEndpointOptions Endpoint { get; init; }

    /// <summary>
    /// When set, <c>endsAt</c> = the alert's time + this (Falcosidekick's <c>expiresafter</c>); when null, no
    /// <c>endsAt</c> is sent and Alertmanager resolves the alert after its own <c>resolve_timeout</c>.
    /// </summary>
    public TimeSpan? ExpiresAfter { get; init; }

    /// <summary>Labels added to every alert (Falcosidekick's <c>extralabels</c>); an alert's own labels win.</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
