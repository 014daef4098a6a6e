using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Otlp;

/// <summary>The OTLP/HTTP sink: the full metrics URL (e.g. <c>http://collector:4318/v1/metrics</c>), headers, TLS.</summary>
internal sealed record OtlpOptions
{
    public const string DefaultServiceName = "falco";

    public required HttpEndpointOptions Endpoint { get; init; }

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    public OtlpTemporality Temporality { get; init; } = OtlpTemporality.Cumulative;

    /// <summary>None or gzip (the two the OTLP/HTTP spec requires receivers to accept).</summary>
    public Compression Compression { get; init; } = Compression.None;

    public DeliveryOptions Delivery { get; init; } = new();
}
