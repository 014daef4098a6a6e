using FalcoCheck.Sinks.Otlp;

namespace FalcoCheck.Configuration;

/// <summary>Sends OTLP/HTTP protobuf metrics to an OpenTelemetry Collector or any OTLP receiver.</summary>
internal sealed record OtlpSinkConfig(SourcePosition Position, OtlpOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "otlp";
}
