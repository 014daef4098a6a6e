using FalcoCheck.Sinks.Datadog;
using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.DogStatsD;
using FalcoCheck.Sinks.Otlp;
using FalcoCheck.Sinks.RemoteWrite;
using YamlDotNet.RepresentationModel;
using Net = FalcoCheck.Configuration.ConnectionOptionsReader;
using static FalcoCheck.Configuration.Declare;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads the agent's <c>sinks:</c> list: each entry's <c>type</c> chooses its option table
/// (<see cref="SinkListReader"/>) and its record: console, file, and the metrics backends (datadog, dogstatsd,
/// prometheus_remote_write, otlp), each declared with its options and read by one method.
/// </summary>
internal static class SinkConfigReader
{
    private static ValueOption<ConsoleFormat> Format => field ??= Choice("format", [("table", ConsoleFormat.Table), ("json", ConsoleFormat.Json)],
        "`table` (for people) or `json` (one object per line)");

    /// <summary>The file of a file sink, metrics and alert logs alike.</summary>
    public static TextOption<string> Path => field ??= FilePath("path", "the file, appended to; relative to falcocheck.yaml", "out/falco.jsonl", required: true);

    public static OptionSection Console { get; } = SinkListReader.Section("sinks", ConsoleSinkConfig.TypeName, "print each batch", () => [Format]);

    public static OptionSection File { get; } = SinkListReader.Section("sinks", FileSinkConfig.TypeName, "append each batch to a file, as JSON lines", () => [Path]);

    private static TextOption<Secret> ApiKey => field ??= SecretText("api_key", "required with a Datadog site; optional with `url`; never printed",
        "\"%%env_DD_API_KEY%%\"", "agent's `api_key` / `DD_API_KEY`");
    private static TextOption<string> Site => field ??= Declare.Site("site", "sends to `https://api.<site>`: `datadoghq.com`, `datadoghq.eu`, `us3.datadoghq.com`, …",
        "datadoghq.eu", "agent's `site` (`datadoghq.com`)").Excluding("url", "both say where to send");
    private static TextOption<Uri> DatadogUrl => field ??= Url("url", Net.HttpSchemes,
        "base URL of any server speaking Datadog's API, instead of `site`", "http://127.0.0.1:8428/datadog");
    private static ValueOption<DatadogApiVersion> ApiVersion => field ??= Choice("api_version", [("v2", DatadogApiVersion.V2), ("v1", DatadogApiVersion.V1)],
        "`v2` or `v1` (the legacy series format)");
    private static ValueOption<Compression> DatadogCompression => field ??= Choice("compression",
        [("gzip", Sinks.Delivery.Compression.Gzip), ("deflate", Sinks.Delivery.Compression.Deflate), ("zstd", Sinks.Delivery.Compression.Zstd), ("none", Sinks.Delivery.Compression.None)],
        "`gzip`, `deflate` (zlib), `zstd` (v2 only), `none`");
    private static ValueOption<bool> SendServiceChecks => field ??= Bool("send_service_checks", true, "post `falco.openmetrics.health` to `/api/v1/check_run`");

    private static TextOption<string> Address => field ??= Text("address", "`udp://HOST:PORT` or `unix:///PATH` (a Unix datagram socket)",
        "udp://127.0.0.1:8125", "`udp://127.0.0.1:8125`");

    /// <summary>From the smallest useful datagram (one short line) to the largest UDP payload over IPv4 (65535 − 8 − 20).</summary>
    private static ValueOption<long> MaxPacketSize => field ??= Bytes("max_packet_size", DogStatsDOptions.DefaultUdpPacketSize, 64, 65_507,
        "bytes per datagram", rule: "1432 (UDP), 8192 (Unix)");

    private static TextOption<Uri> OtlpUrl => field ??= Url("url", Net.HttpSchemes, "the full URL of the OTLP/HTTP metrics intake",
        "http://127.0.0.1:4318/v1/metrics", required: true);
    /// <summary>OTLP's options, metrics and logs alike.</summary>
    internal static TextOption<string> ServiceName => field ??= Text("service_name", "`service.name` of the resource", "falco", @default: OtlpOptions.DefaultServiceName);
    private static ValueOption<OtlpTemporality> Temporality => field ??= Choice("temporality",
        [("cumulative", OtlpTemporality.Cumulative), ("delta", OtlpTemporality.Delta)], "counts as cumulative or delta sums");
    internal static ValueOption<Compression> OtlpCompression => field ??= Choice("compression",
        [("none", Sinks.Delivery.Compression.None), ("gzip", Sinks.Delivery.Compression.Gzip)], "`none` or `gzip`");

    public static OptionSection Datadog { get; } = SinkListReader.Section("sinks", DatadogSinkConfig.TypeName, "Datadog's metrics intake (or any server speaking it)",
        () => [ApiKey, Site, DatadogUrl, ApiVersion, DatadogCompression, SendServiceChecks, Net.TlsVerify, Net.TlsCaCert, .. Net.Delivery]);

    public static OptionSection DogStatsD { get; } = SinkListReader.Section("sinks", DogStatsDSinkConfig.TypeName, "DogStatsD datagrams",
        () => [Address, MaxPacketSize, Net.QueueSize, Net.FlushTimeout, Net.RetryMaxBackoff, Net.SpoolMaxSize]);

    public static OptionSection RemoteWrite { get; } = SinkListReader.Section("sinks", RemoteWriteSinkConfig.TypeName, "Prometheus Remote Write 1.0",
        () => [Net.Url, .. Net.Auth, .. Net.Tls, .. Net.Delivery]);

    public static OptionSection Otlp { get; } = SinkListReader.Section("sinks", OtlpSinkConfig.TypeName, "OTLP/HTTP metrics",
        () => [OtlpUrl, ServiceName, Temporality, OtlpCompression, .. Net.Auth, .. Net.Tls, .. Net.Delivery]);

    public static IReadOnlyList<OptionSection> Types { get; } = [Console, File, Datadog, DogStatsD, RemoteWrite, Otlp];

    /// <summary>
    /// Returns null when <c>sinks</c> is absent (the caller's default applies) or after errors. An explicit empty
    /// list means "no sinks": one-shot <c>check</c> runs that only print their result (and tests) use it.
    /// </summary>
    public static IReadOnlyList<SinkConfig>? ReadList(ConfigReadContext ctx, YamlNode? node, string path, AgentDefaults defaults)
    {
        int errors = ctx.ErrorCount;
        var sinks = SinkListReader.ReadList(ctx, node, path, emptyError: null,
            (entry, at) => SinkListReader.Read(ctx, entry, at, Types, "sink type", (map, type) => Read(map, type, defaults)));
        return ctx.ErrorCount == errors ? sinks : null;
    }

    private static SinkConfig? Read(ConfigMapping map, string type, AgentDefaults defaults) => type switch
    {
        ConsoleSinkConfig.TypeName => new ConsoleSinkConfig(map.Position, Format.Read(map)),
        FileSinkConfig.TypeName => Path.Read(map) is { } file ? new FileSinkConfig(map.Position, file) : null,
        DatadogSinkConfig.TypeName => ReadDatadog(map, defaults),
        DogStatsDSinkConfig.TypeName => ReadDogStatsD(map),
        RemoteWriteSinkConfig.TypeName => ReadRemoteWrite(map),
        _ => ReadOtlp(map),
    };

    public static DatadogSinkConfig? ReadDatadog(ConfigMapping map, AgentDefaults defaults)
    {
        Uri? url = DatadogUrl.Read(map);
        string? site = Site.Read(map);
        var apiKey = ApiKey.Read(map) ?? defaults.ApiKey;
        if (!map.Has(DatadogUrl.Name) && apiKey is null)
        {
            map.Error(ApiKey.Name, "required when sending to a Datadog site: set api_key here, api_key in the agent file, or DD_API_KEY");
        }

        var version = ApiVersion.Read(map);
        var compression = DatadogCompression.Read(map);
        if (compression == Sinks.Delivery.Compression.Zstd && version == DatadogApiVersion.V1)
        {
            map.Error(DatadogCompression.Name, "zstd is accepted by the v2 series intake only; use gzip or deflate with api_version v1");
        }

        var options = new DatadogOptions
        {
            Endpoint = Net.Endpoint(map, url ?? DatadogOptions.SiteUrl(site ?? defaults.Site), withAuth: false),
            ApiKey = apiKey,
            ApiVersion = version,
            Compression = compression,
            SendServiceChecks = SendServiceChecks.Read(map),
            Delivery = Net.ReadDelivery(map),
        };
        return new DatadogSinkConfig(map.Position, options);
    }

    public static DogStatsDSinkConfig? ReadDogStatsD(ConfigMapping map)
    {
        var options = new DogStatsDOptions();
        if (Address.Read(map) is { } address)
        {
            options = ParseAddress(map, address, options);
        }

        options = options with
        {
            MaxPacketSize = (int)(MaxPacketSize.Written(map) ?? (options.SocketPath is null ? DogStatsDOptions.DefaultUdpPacketSize : DogStatsDOptions.DefaultUdsPacketSize)),
            Delivery = Net.ReadDelivery(map), // the options its table lacks read as their defaults
        };
        return new DogStatsDSinkConfig(map.Position, options);
    }

    public static RemoteWriteSinkConfig? ReadRemoteWrite(ConfigMapping map)
    {
        var endpoint = Net.Endpoint(map);
        var delivery = Net.ReadDelivery(map);
        return endpoint is null ? null : new RemoteWriteSinkConfig(map.Position, new RemoteWriteOptions { Endpoint = endpoint, Delivery = delivery });
    }

    public static OtlpSinkConfig? ReadOtlp(ConfigMapping map)
    {
        var endpoint = Net.Endpoint(map, OtlpUrl);
        var options = endpoint is null ? null : new OtlpOptions
        {
            Endpoint = endpoint,
            ServiceName = ServiceName.Read(map)!,
            Temporality = Temporality.Read(map),
            Compression = OtlpCompression.Read(map),
            Delivery = Net.ReadDelivery(map),
        };
        return options is null ? null : new OtlpSinkConfig(map.Position, options);
    }

    /// <summary><c>udp://host:port</c> (port optional, 8125) or <c>unix:///absolute/path</c>.</summary>
    private static DogStatsDOptions ParseAddress(ConfigMapping map, string address, DogStatsDOptions options)
    {
        const string Expected = "expected udp://HOST:PORT (such as udp://127.0.0.1:8125) or unix:///PATH (such as unix:///var/run/datadog/dsd.socket)";
        if (address.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = address["unix://".Length..];
            if (!System.IO.Path.IsPathRooted(path) || path.Length > 107)
            {
                // sockaddr_un.sun_path holds 108 bytes on Linux, the terminating NUL included.
                map.Error(Address.Name, Expected + "; the socket path must be absolute and at most 107 bytes");
                return options;
            }

            return options with { Host = null, SocketPath = path };
        }

        if (!address.StartsWith("udp://", StringComparison.Ordinal)
            || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.AbsolutePath is not ("/" or ""))
        {
            map.Error(Address.Name, Expected);
            return options;
        }

        return options with { Host = uri.Host.Trim('[', ']'), Port = uri.IsDefaultPort || uri.Port < 0 ? DogStatsDOptions.DefaultPort : uri.Port };
    }
}
