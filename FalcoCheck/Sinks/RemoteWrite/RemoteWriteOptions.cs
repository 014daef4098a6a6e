using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.RemoteWrite;

/// <summary>The Prometheus remote write sink: the receiver's URL (e.g. <c>http://prometheus:9090/api/v1/write</c>), auth and TLS.</summary>
internal sealed record RemoteWriteOptions
{
    public required HttpEndpointOptions Endpoint { get; init; }

    public DeliveryOptions Delivery { get; init; } = new();
}
