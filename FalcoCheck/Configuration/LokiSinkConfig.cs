using FalcoCheck.Sinks.Loki;

namespace FalcoCheck.Configuration;

/// <summary>Pushes alerts to Loki (<c>/loki/api/v1/push</c>); see <see cref="LokiOptions"/>.</summary>
internal sealed record LokiSinkConfig(SourcePosition Position, LokiOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "loki";
}
