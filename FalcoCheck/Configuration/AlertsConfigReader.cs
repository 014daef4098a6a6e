using System.Net;
using FalcoCheck.Alerts;
using YamlDotNet.RepresentationModel;
using static FalcoCheck.Configuration.Declare;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads the agent file's <c>alerts:</c> section into <see cref="AlertsConfig"/>. The log sinks are chosen by a
/// switch on <c>type</c>, as <see cref="SinkConfigReader"/> does for metrics; <c>file</c> and <c>console</c> reuse
/// the metrics sinks' records because their settings are the same.
/// </summary>
internal static partial class AlertsConfigReader
{
    private static readonly TextOption<IPEndPoint> Listen = Declare.Listen("listen", AlertsHttpConfig.DefaultPort, anyPort: true, "ADDRESS:PORT; port 0 picks a free port");
    private static readonly TextOption<Secret> Token = SecretText("token", "required of every request, as the URL's user or `token_header`; never printed",
        "\"%%env_FALCO_ALERTS_TOKEN%%\"");
    private static readonly TextOption<string> TokenHeader = Text("token_header", "the header that carries the token", AlertsHttpConfig.DefaultTokenHeader,
        @default: AlertsHttpConfig.DefaultTokenHeader);
    private static readonly TextOption<string> TlsCert = FilePath("tls_cert", "serve HTTPS with this certificate (PEM)", "<CERT_PATH>");
    private static readonly TextOption<string> TlsKey = FilePath("tls_key", "the certificate's key (PEM); needs `tls_cert`", "<KEY_PATH>").Needing("tls_cert");

    /// <summary>Kestrel refuses larger bodies with 413 anyway; 64 MiB keeps a typo from allowing gigabytes in memory.</summary>
    private static readonly ValueOption<long> MaxBodySize = Bytes("max_body_size", AlertsHttpConfig.DefaultMaxBodyBytes, 1024, 64L * 1024 * 1024,
        "bytes of one request; larger ones get 413");

    public static OptionSection HttpSection { get; } = new("alerts.http", "a mapping of receiver settings", [Listen, Token, TokenHeader, TlsCert, TlsKey, MaxBodySize]);

    private static readonly SectionOption Http = Nested("http", "the receiver for Falco's `http_output`", "\n  listen: 127.0.0.1:2801", () => HttpSection);
    private static readonly TextOption<IReadOnlyList<string>> Files = StringList("files", "Falco's `file_output` files to follow across rotation",
        "[/var/log/falco/events.json]");
    private static readonly SectionOption SinkList = Nested("sinks", "where alerts go; each entry is one log sink (see `alerts.sinks.*`)",
        "\n  - type: console", kind: OptionKind.List, typeWord: "list of mappings", rule: "one console sink");
    private static readonly TextOption<IReadOnlyList<string>> Tags = StringList("tags", "tags added to every alert", "[team:security]");
    private static readonly TextOption<string> Service = Text("service", "the logs' `service`", AlertsConfig.DefaultService, @default: AlertsConfig.DefaultService);
    private static readonly ValueOption<long> QueueSize = Integer("queue_size", AlertsConfig.DefaultQueueSize, 1, 1_000_000,
        "alerts waiting in memory per sink; beyond it, the oldest go to the spool");
    private static readonly TextOption<string> SpoolDir = FilePath("spool_dir", "where alerts that do not fit the queue wait", rule: "`state_dir/alerts/spool`");
    private static readonly ValueOption<long> SpoolMaxSize = Bytes("spool_max_size", AlertsConfig.DefaultSpoolMaxBytes, 64 * 1024, 1L << 40,
        "bytes of disk spool per sink");
    private static readonly ValueOption<TimeSpan> MetricsInterval = Seconds("metrics_interval", AlertsConfig.DefaultMetricsInterval.TotalSeconds,
        "seconds between the `falco.alerts.count` points");

    private static readonly TextOption<Secret> DatadogApiKey = SecretText("api_key", "never printed", "\"%%env_DD_API_KEY%%\"", "agent's `api_key` / `DD_API_KEY`");
    private static readonly TextOption<string> DatadogSite = Declare.Site("site", "sends to `https://http-intake.logs.<site>`", "datadoghq.eu", "agent's `site`");
    private static readonly TextOption<Uri> DatadogUrl = Url("url", ["https", "http"], "the logs intake's base URL, instead of `site`", "https://http-intake.logs.datadoghq.eu");
    private static readonly ValueOption<TimeSpan> DatadogTimeout = Timeout(Sinks.Logs.DatadogLogsOptions.DefaultTimeout);

    public static OptionSection Section { get; } = new("alerts", "a mapping of alert settings",
        [Http, Files, SinkList, Tags, Service, QueueSize, SpoolDir, SpoolMaxSize, MetricsInterval])
    {
        Doc = "Falco's alerts as logs: `falcocheck alerts` and the daemon read this section.",
    };

    public static OptionSection DatadogLogs { get; } = Sink(DatadogLogsSinkConfig.TypeName, "Datadog's logs intake",
        () => [DatadogApiKey, DatadogSite, DatadogUrl, DatadogTimeout]);

    public static OptionSection FileSink { get; } = Sink(FileSinkConfig.TypeName, "one alert document per line, appended", () => [SinkConfigReader.Path]);

    public static OptionSection ConsoleSink { get; } = Sink(ConsoleSinkConfig.TypeName, "one alert document per line on standard output", () => []);

    // Computed on first use: the protocol sinks' tables are in the other part of this class, whose initializers may run later.
    public static IReadOnlyList<OptionSection> SinkTypes => field ??=
        [DatadogLogs, FileSink, ConsoleSink, Alertmanager, Webhook, Syslog, Nats, Loki, OtlpLogs];

    public static IReadOnlyList<string> KnownSinkTypes => field ??= [.. SinkTypes.Select(SinkListReader.TypeOf)];

    /// <summary>A log sink type's table; the routing keys (<see cref="AlertRouteReader"/>) come on top of it.</summary>
    internal static OptionSection Sink(string type, string doc, Func<IReadOnlyList<ConfigOption>> options) =>
        SinkListReader.Section("alerts.sinks", type, doc, options);

    internal static ValueOption<TimeSpan> Timeout(TimeSpan @default) => Seconds("timeout", @default.TotalSeconds, "seconds per request");

    /// <summary>Null when the section is absent. <paramref name="agent"/> gives the defaults it inherits.</summary>
    public static AlertsConfig? Read(ConfigReadContext ctx, YamlNode? node, string path, AgentDefaults agent) =>
        node is null || Section.Open(ctx, node, path, ctx.At(node)) is not { } map ? null : new AlertsConfig
        {
            Position = map.Position,
            Http = map.Get(Http.Name) is { } http ? ReadHttp(ctx, http, map.PathOf(Http.Name)) : null,
            Files = Files.Read(map) is { } files ? [.. files.Select(ctx.ResolvePath)] : [],
            Sinks = ReadSinks(ctx, map.Get(SinkList.Name), map.PathOf(SinkList.Name), agent) ?? [new ConsoleSinkConfig(map.Position)],
            Tags = Tags.Read(map) ?? [],
            Service = Service.Read(map)!,
            QueueSize = (int)QueueSize.Read(map),
            SpoolDir = SpoolDir.Read(map) ?? Path.Combine(agent.StateDir, "alerts", "spool"),
            SpoolMaxBytes = SpoolMaxSize.Read(map),
            FileStateDir = Path.Combine(agent.StateDir, "alerts", "files"),
            MetricsInterval = MetricsInterval.Read(map),
        };

    private static AlertsHttpConfig? ReadHttp(ConfigReadContext ctx, YamlNode node, string path) =>
        HttpSection.Open(ctx, node, path, ctx.At(node)) is not { } map ? null : new AlertsHttpConfig
        {
            Listen = Listen.Read(map)!,
            Token = Token.Read(map),
            TokenHeader = TokenHeader.Read(map)!,
            TlsCert = TlsCert.Read(map),
            TlsKey = TlsKey.Read(map),
            MaxBodyBytes = MaxBodySize.Read(map),
        };

    private static List<SinkConfig>? ReadSinks(ConfigReadContext ctx, YamlNode? node, string path, AgentDefaults agent) =>
        SinkListReader.ReadList(ctx, node, path, $"at least one sink is required (known types: {string.Join(", ", KnownSinkTypes)})", (entryNode, entryPath) =>
        {
            // Routing is read first, for every type alike, and taken out of the entry before its type's keys are checked.
            AlertRoute route = entryNode is YamlMappingNode entry ? AlertRouteReader.Take(ctx, entry, entryPath) : AlertRoute.All;
            SinkConfig? sink = SinkListReader.Read(ctx, entryNode, entryPath, SinkTypes, "log sink type", (map, type) => ReadSink(map, type, agent));
            return sink is null || route.IsAll ? sink : sink with { Route = route };
        });

    private static SinkConfig? ReadSink(ConfigMapping map, string type, AgentDefaults agent) => type switch
    {
        DatadogLogsSinkConfig.TypeName => ReadDatadog(map, agent),
        FileSinkConfig.TypeName => SinkConfigReader.Path.Read(map) is { } file ? new FileSinkConfig(map.Position, file) : null,
        AlertmanagerSinkConfig.TypeName => ReadAlertmanager(map),
        WebhookSinkConfig.TypeName => ReadWebhook(map),
        ConsoleSinkConfig.TypeName => new ConsoleSinkConfig(map.Position, ConsoleFormat.Json),
        SyslogSinkConfig.TypeName => ReadSyslog(map),
        NatsSinkConfig.TypeName => ReadNats(map),
        LokiSinkConfig.TypeName => ReadLoki(map),
        _ => ReadOtlpLogs(map),
    };

    private static DatadogLogsSinkConfig? ReadDatadog(ConfigMapping map, AgentDefaults agent)
    {
        int errors = map.Context.ErrorCount;
        Secret? key = DatadogApiKey.Read(map) ?? agent.ApiKey;
        if (key is null && map.Context.ErrorCount == errors)
        {
            map.Context.Error(map.Position, map.PathOf(DatadogApiKey.Name),
                "an API key is required: set api_key here, api_key at the top of the file, or DD_API_KEY");
        }

        string? site = DatadogSite.Read(map);
        Uri url = DatadogUrl.Read(map) ?? Sinks.Logs.DatadogLogsOptions.SiteUrl(site ?? agent.Site);
        TimeSpan timeout = DatadogTimeout.Read(map);
        return map.Context.ErrorCount == errors && key is not null ? new DatadogLogsSinkConfig(map.Position, key, url, timeout, map.Context.OutboundProxy) : null;
    }
}
