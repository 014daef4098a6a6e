using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.DogStatsD;

/// <summary>The DogStatsD sink: a UDP host and port, or a Unix datagram socket, and the datagram size.</summary>
internal sealed record DogStatsDOptions
{
    /// <summary>The Datadog Agent's DogStatsD defaults: UDP 127.0.0.1:8125.</summary>
    public const string DefaultHost = "127.0.0.1";

    public const int DefaultPort = 8125;

    /// <summary>Datadog's client default for UDP: fits one Ethernet MTU (1500) minus IP and UDP headers.</summary>
    public const int DefaultUdpPacketSize = 1432;

    /// <summary>Datadog's client default for Unix sockets (the Agent reads up to 8192 bytes per datagram by default).</summary>
    public const int DefaultUdsPacketSize = 8192;

    /// <summary>UDP host (name or address); null when <see cref="SocketPath"/> is set.</summary>
    public string? Host { get; init; } = DefaultHost;

    public int Port { get; init; } = DefaultPort;

    /// <summary>Unix datagram socket, e.g. <c>/var/run/datadog/dsd.socket</c>.</summary>
    public string? SocketPath { get; init; }

    /// <summary>Largest datagram; several metrics are packed into one up to this size.</summary>
    public int MaxPacketSize { get; init; } = DefaultUdpPacketSize;

    public DeliveryOptions Delivery { get; init; } = new();

    /// <summary>For reports: <c>udp://127.0.0.1:8125</c> or <c>unix:///var/run/datadog/dsd.socket</c>.</summary>
    public string Address => SocketPath is { } path ? "unix://" + path : $"udp://{Host}:{Port}";
}
