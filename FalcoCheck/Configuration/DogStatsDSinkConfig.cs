using FalcoCheck.Sinks.DogStatsD;

namespace FalcoCheck.Configuration;

/// <summary>Sends DogStatsD datagrams to a Datadog Agent over UDP or a Unix socket.</summary>
internal sealed record DogStatsDSinkConfig(SourcePosition Position, DogStatsDOptions Options) : SinkConfig(TypeName, Position)
{
    public const string TypeName = "dogstatsd";
}
