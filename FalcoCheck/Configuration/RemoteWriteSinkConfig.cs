using FalcoCheck.Sinks.RemoteWrite;

namespace FalcoCheck.Configuration;

/// <summary>Sends Prometheus remote write 1.0 requests (Prometheus, VictoriaMetrics, Mimir, Thanos receive…).</summary>
internal sealed record RemoteWriteSinkConfig(SourcePosition Position, RemoteWriteOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "prometheus_remote_write";
}
