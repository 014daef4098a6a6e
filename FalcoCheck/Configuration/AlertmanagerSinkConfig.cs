using FalcoCheck.Sinks.Alertmanager;

namespace FalcoCheck.Configuration;

/// <summary>Sends alerts to Prometheus Alertmanager (API v2, <c>POST /api/v2/alerts</c>).</summary>
internal sealed record AlertmanagerSinkConfig(SourcePosition Position, AlertmanagerOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "alertmanager";
}
