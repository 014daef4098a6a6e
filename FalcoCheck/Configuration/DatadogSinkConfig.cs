using FalcoCheck.Sinks.Datadog;

namespace FalcoCheck.Configuration;

/// <summary>Sends to Datadog's metrics intake (or any URL speaking its API, such as VictoriaMetrics' <c>/datadog</c>).</summary>
internal sealed record DatadogSinkConfig(SourcePosition Position, DatadogOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "datadog";
}
