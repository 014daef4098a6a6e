using FalcoCheck.Sinks.OtlpLogs;

namespace FalcoCheck.Configuration;

/// <summary>Sends alerts as OTLP/HTTP protobuf logs (<c>/v1/logs</c>); see <see cref="OtlpLogsOptions"/>.</summary>
internal sealed record OtlpLogsSinkConfig(SourcePosition Position, OtlpLogsOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "otlp_logs";
}
