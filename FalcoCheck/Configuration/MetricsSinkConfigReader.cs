using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.DogStatsD;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.RemoteWrite;

namespace FalcoCheck.Configuration;

/// <summary>
/// Options of the metrics backends (datadog, dogstatsd, prometheus_remote_write, otlp), one method each, called by
/// <see cref="SinkConfigReader"/> once it has opened the mapping with the type's key list.
/// </summary>
internal static class MetricsSinkConfigReader
{
    private const string ApiKey = "api_key";
    private const string Site = "site";

    public static readonly string[] DatadogKeys =
        ["type", ApiKey, Site, NetworkSinkReader.Url, "api_version", "compression", "send_service_checks", "tls_verify", "tls_ca_cert", .. NetworkSinkReader.DeliveryKeys];

    public static readonly string[] DogStatsDKeys = ["type", "address", "max_packet_size", "queue_size", "flush_timeout", "retry_max_backoff", "spool_max_size"];

    public static readonly string[] RemoteWriteKeys =
        ["type", NetworkSinkReader.Url, .. NetworkSinkReader.AuthKeys, .. NetworkSinkReader.TlsKeys, .. NetworkSinkReader.DeliveryKeys];

    public static readonly string[] OtlpKeys =
        ["type", NetworkSinkReader.Url, "service_name", "temporality", "compression", .. NetworkSinkReader.AuthKeys, .. NetworkSinkReader.TlsKeys, .. NetworkSinkReader.DeliveryKeys];

    private static readonly string[] ApiVersions = ["v2", "v1"];
    private static readonly string[] DatadogCompressions = ["gzip", "deflate", "zstd", "none"];
    private static readonly string[] OtlpCompressions = ["none", "gzip"];
    private static readonly string[] Temporalities = ["cumulative", "delta"];

    /// <summary>The largest UDP payload over IPv4 (65535 − 8 − 20 bytes).</summary>
    private const int MaxDatagram = 65_507;

    /// <summary>Smallest useful datagram: one short metric line.</summary>
    private const int MinDatagram = 64;

    public static DatadogSinkConfig? ReadDatadog(ConfigMapping map, SinkDefaults defaults)
    {
        int errors = map.Context.ErrorCount;
        Uri? url = null;
        string? site = map.String(Site);
        if (map.Has(NetworkSinkReader.Url))
        {
            url = map.Url(NetworkSinkReader.Url, ["http", "https"]);
            if (site is not null)
            {
                map.Error(Site, "site and url both say where to send; use one of them");
            }
        }
        else if (site is not null && !AgentConfigReader.IsValidSite(site))
        {
            map.Error(Site, "expected a Datadog site such as datadoghq.com or datadoghq.eu, without https:// or a path");
        }

        var apiKey = map.Secret(ApiKey) ?? defaults.ApiKey;
        if (!map.Has(NetworkSinkReader.Url) && apiKey is null)
        {
            map.Error(ApiKey, "required when sending to a Datadog site: set api_key here, api_key in the agent file, or DD_API_KEY");
        }

        var version = map.OneOf("api_version", ApiVersions) == "v1" ? DatadogApiVersion.V1 : DatadogApiVersion.V2;
        var compression = Compression(map.OneOf("compression", DatadogCompressions));
        if (compression == Sinks.Delivery.Compression.Zstd && version == DatadogApiVersion.V1)
        {
            map.Error("compression", "zstd is accepted by the v2 series intake only; use gzip or deflate with api_version v1");
        }

        var target = url ?? DatadogOptions.SiteUrl(site ?? defaults.Site);
        var options = new DatadogOptions
        {
            Endpoint = NetworkSinkReader.Endpoint(map, target, withAuth: false),
            ApiKey = apiKey,
            ApiVersion = version,
            Compression = compression ?? Sinks.Delivery.Compression.Gzip,
            SendServiceChecks = map.Bool("send_service_checks") ?? true,
            Delivery = NetworkSinkReader.Delivery(map),
        };
        return map.Context.ErrorCount == errors ? new DatadogSinkConfig(map.Position, options) : null;
    }

    public static DogStatsDSinkConfig? ReadDogStatsD(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        var options = new DogStatsDOptions();
        if (map.String("address") is { } address)
        {
            options = ParseAddress(map, address, options);
        }

        int defaultSize = options.SocketPath is null ? DogStatsDOptions.DefaultUdpPacketSize : DogStatsDOptions.DefaultUdsPacketSize;
        var defaults = new DeliveryOptions();
        options = options with
        {
            MaxPacketSize = (int)(map.Integer("max_packet_size", MinDatagram, MaxDatagram) ?? defaultSize),
            Delivery = defaults with
            {
                QueueSize = (int)(map.Integer("queue_size", 1, 10_000_000) ?? defaults.QueueSize),
                FlushTimeout = map.Seconds("flush_timeout") ?? defaults.FlushTimeout,
                RetryMaxBackoff = map.Seconds("retry_max_backoff") ?? defaults.RetryMaxBackoff,
                SpoolMaxBytes = map.Integer("spool_max_size", 0, NetworkSinkReader.SpoolSizeLimit) ?? defaults.SpoolMaxBytes,
            },
        };
        return map.Context.ErrorCount == errors ? new DogStatsDSinkConfig(map.Position, options) : null;
    }

    public static RemoteWriteSinkConfig? ReadRemoteWrite(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        var endpoint = NetworkSinkReader.Endpoint(map);
        var delivery = NetworkSinkReader.Delivery(map);
        return map.Context.ErrorCount == errors && endpoint is not null
            ? new RemoteWriteSinkConfig(map.Position, new RemoteWriteOptions { Endpoint = endpoint, Delivery = delivery })
            : null;
    }

    public static OtlpSinkConfig? ReadOtlp(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        var endpoint = NetworkSinkReader.Endpoint(map);
        var options = endpoint is null ? null : new OtlpOptions
        {
            Endpoint = endpoint,
            ServiceName = map.String("service_name") ?? OtlpOptions.DefaultServiceName,
            Temporality = map.OneOf("temporality", Temporalities) == "delta" ? OtlpTemporality.Delta : OtlpTemporality.Cumulative,
            Compression = Compression(map.OneOf("compression", OtlpCompressions)) ?? Sinks.Delivery.Compression.None,
            Delivery = NetworkSinkReader.Delivery(map),
        };
        return map.Context.ErrorCount == errors && options is not null ? new OtlpSinkConfig(map.Position, options) : null;
    }

    private static Compression? Compression(string? name) => name switch
    {
        "gzip" => Sinks.Delivery.Compression.Gzip,
        "deflate" => Sinks.Delivery.Compression.Deflate,
        "zstd" => Sinks.Delivery.Compression.Zstd,
        "none" => Sinks.Delivery.Compression.None,
        _ => null,
    };

    /// <summary><c>udp://host:port</c> (port optional, 8125) or <c>unix:///absolute/path</c>.</summary>
    private static DogStatsDOptions ParseAddress(ConfigMapping map, string address, DogStatsDOptions options)
    {
        const string Expected = "expected udp://HOST:PORT (such as udp://127.0.0.1:8125) or unix:///PATH (such as unix:///var/run/datadog/dsd.socket)";
        if (address.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = address["unix://".Length..];
            if (!Path.IsPathRooted(path) || path.Length > 107)
            {
                // sockaddr_un.sun_path holds 108 bytes on Linux, the terminating NUL included.
                map.Error("address", Expected + "; the socket path must be absolute and at most 107 bytes");
                return options;
            }

            return options with { Host = null, SocketPath = path };
        }

        if (!address.StartsWith("udp://", StringComparison.Ordinal)
            || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.AbsolutePath is not ("/" or ""))
        {
            map.Error("address", Expected);
            return options;
        }

        return options with { Host = uri.Host.Trim('[', ']'), Port = uri.IsDefaultPort || uri.Port < 0 ? DogStatsDOptions.DefaultPort : uri.Port };
    }

}
