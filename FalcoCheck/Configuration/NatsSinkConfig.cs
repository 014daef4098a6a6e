using FalcoCheck.Sinks.Nats;

namespace FalcoCheck.Configuration;

/// <summary>Publishes each alert's JSON document on a NATS subject; see <see cref="NatsOptions"/>.</summary>
internal sealed record NatsSinkConfig(SourcePosition Position, NatsOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "nats";
}
