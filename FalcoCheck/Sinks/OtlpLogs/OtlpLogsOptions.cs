using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.OtlpLogs;

/// <summary>The OTLP logs sink: the full logs URL (<c>http://collector:4318/v1/logs</c>) with auth and TLS.</summary>
internal sealed record OtlpLogsOptions
{
    public const string LogsPath = "v1/logs";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public required HttpEndpointOptions Endpoint { get; init; }

    /// <summary>The <c>service.name</c> resource attribute (the metrics OTLP sink's default too).</summary>
    public string ServiceName { get; init; } = Otlp.OtlpOptions.DefaultServiceName;

    /// <summary>None or gzip (the two the OTLP/HTTP spec requires receivers to accept).</summary>
    public Compression Compression { get; init; } = Compression.None;

    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
