using System.Net;
using FalcoCheck.Alerts;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads the agent file's <c>alerts:</c> section into <see cref="AlertsConfig"/>. The log sinks are chosen by a
/// switch on <c>type</c>, as <see cref="SinkConfigReader"/> does for metrics; <c>file</c> and <c>console</c> reuse
/// the metrics sinks' records because their settings are the same.
/// </summary>
internal static partial class AlertsConfigReader
{
    private const string TypeKey = "type";
    private const long MaxQueueSize = 1_000_000;
    private const long MinSpoolBytes = 64 * 1024;
    private const long MaxSpoolBytes = 1L << 40;

    /// <summary>Kestrel refuses larger bodies with 413 anyway; 64 MiB keeps a typo from allowing gigabytes in memory.</summary>
    private const long MaxBodyLimit = 64L * 1024 * 1024;

    public static IReadOnlyList<string> Keys { get; } =
        ["http", "files", "sinks", "tags", "service", "queue_size", "spool_dir", "spool_max_size", "metrics_interval"];

    public static IReadOnlyList<string> HttpKeys { get; } = ["listen", "token", "token_header", "tls_cert", "tls_key", "max_body_size"];

    public static IReadOnlyList<string> KnownSinkTypes { get; } =
        [DatadogLogsSinkConfig.TypeName, FileSinkConfig.TypeName, ConsoleSinkConfig.TypeName, AlertmanagerSinkConfig.TypeName, WebhookSinkConfig.TypeName,
            SyslogSinkConfig.TypeName, NatsSinkConfig.TypeName, LokiSinkConfig.TypeName, OtlpLogsSinkConfig.TypeName];

    private static readonly string[] DatadogKeys = [TypeKey, "api_key", "site", "url", "timeout"];
    private static readonly string[] FileKeys = [TypeKey, "path"];
    private static readonly string[] ConsoleKeys = [TypeKey];

    /// <summary>Null when the section is absent. <paramref name="agent"/> gives the defaults it inherits.</summary>
    public static AlertsConfig? Read(ConfigReadContext ctx, YamlNode? node, string path, AgentDefaults agent)
    {
        if (node is null)
        {
            return null;
        }

        ConfigMapping? map = ConfigMapping.Open(ctx, node, path, ctx.At(node), Keys, what: "a mapping of alert settings");
        if (map is null)
        {
            return null;
        }

        var defaults = new AlertsConfig();
        return new AlertsConfig
        {
            Position = map.Position,
            Http = map.Get("http") is { } http ? ReadHttp(ctx, http, map.PathOf("http")) : null,
            Files = map.StringList("files") is { } files ? [.. files.Select(ctx.ResolvePath)] : [],
            Sinks = ReadSinks(ctx, map.Get("sinks"), map.PathOf("sinks"), agent) ?? [new ConsoleSinkConfig(map.Position)],
            Tags = map.StringList("tags") ?? [],
            Service = map.String("service") ?? AlertsConfig.DefaultService,
            QueueSize = (int)(map.Integer("queue_size", 1, MaxQueueSize) ?? AlertsConfig.DefaultQueueSize),
            SpoolDir = map.FilePath("spool_dir") ?? Path.Combine(agent.StateDir, "alerts", "spool"),
            SpoolMaxBytes = map.Integer("spool_max_size", MinSpoolBytes, MaxSpoolBytes) ?? AlertsConfig.DefaultSpoolMaxBytes,
            FileStateDir = Path.Combine(agent.StateDir, "alerts", "files"),
            MetricsInterval = map.Seconds("metrics_interval") ?? defaults.MetricsInterval,
        };
    }

    private static AlertsHttpConfig? ReadHttp(ConfigReadContext ctx, YamlNode node, string path)
    {
        ConfigMapping? map = ConfigMapping.Open(ctx, node, path, ctx.At(node), HttpKeys, what: "a mapping of receiver settings");
        if (map is null)
        {
            return null;
        }

        var defaults = new AlertsHttpConfig();
        IPEndPoint? listen = null;
        if (map.String("listen") is { } text)
        {
            listen = ParseListen(text);
            if (listen is null)
            {
                map.Error("listen", "expected ADDRESS:PORT such as 127.0.0.1:2801, 0.0.0.0:2801 or [::1]:2801 (port 0 picks a free port)");
            }
        }

        string? cert = map.FilePath("tls_cert");
        string? key = map.FilePath("tls_key");
        if (key is not null && cert is null)
        {
            map.Error("tls_key", "tls_key needs tls_cert");
        }

        return new AlertsHttpConfig
        {
            Listen = listen ?? defaults.Listen,
            Token = map.Secret("token"),
            TokenHeader = map.String("token_header") ?? defaults.TokenHeader,
            TlsCert = cert,
            TlsKey = key,
            MaxBodyBytes = map.Integer("max_body_size", 1024, MaxBodyLimit) ?? defaults.MaxBodyBytes,
        };
    }

    /// <summary><c>ADDRESS:PORT</c>; <c>localhost</c> means the IPv4 loopback, as Falco's libcurl resolves it first.</summary>
    internal static IPEndPoint? ParseListen(string text)
    {
        text = text.Trim();
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text["localhost".Length..];
        }

        // IPEndPoint.TryParse accepts a bare address (port 0); the port must be written.
        bool hasPort = text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
        return hasPort && IPEndPoint.TryParse(text, out IPEndPoint? endpoint) ? endpoint : null;
    }

    private static List<SinkConfig>? ReadSinks(ConfigReadContext ctx, YamlNode? node, string path, AgentDefaults agent)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            ctx.Error(node!, path, node is YamlSequenceNode
                ? $"at least one sink is required (known types: {string.Join(", ", KnownSinkTypes)})"
                : $"expected a list of sinks, got {YamlScalars.KindName(node!)}");
            return null;
        }

        var sinks = new List<SinkConfig>(list.Children.Count);
        for (int i = 0; i < list.Children.Count; i++)
        {
            // Routing is read first, for every type alike, and taken out of the entry before its type's keys are checked.
            string sinkPath = ValueReader.Index(path, i);
            AlertRoute route = list.Children[i] is YamlMappingNode entry ? AlertRouteReader.Take(ctx, entry, sinkPath) : AlertRoute.All;
            if (ReadSink(ctx, list.Children[i], sinkPath, agent) is { } sink)
            {
                sinks.Add(route.IsAll ? sink : sink with { Route = route });
            }
        }

        return sinks;
    }

    private static SinkConfig? ReadSink(ConfigReadContext ctx, YamlNode node, string path, AgentDefaults agent)
    {
        if (node is not YamlMappingNode)
        {
            ctx.Error(node, path, $"expected a mapping with type, got {YamlScalars.KindName(node)}");
            return null;
        }

        string typePath = ValueReader.Child(path, TypeKey);
        YamlNode? typeNode = ConfigMapping.Peek(node, TypeKey);
        if (YamlScalars.IsNull(typeNode))
        {
            ctx.Error(typeNode ?? node, typePath, $"required setting is missing; expected one of {string.Join(", ", KnownSinkTypes)}");
            return null;
        }

        SourcePosition position = ctx.At(node);
        switch (ValueReader.String(ctx, typeNode, typePath))
        {
            case null:
                return null;
            case DatadogLogsSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, DatadogKeys) is { } datadog ? ReadDatadog(datadog, agent) : null;
            case FileSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, FileKeys) is { } file && file.Require("path") && file.FilePath("path") is { } filePath
                    ? new FileSinkConfig(position, filePath)
                    : null;
            case AlertmanagerSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, AlertHttpSinkReader.AlertmanagerKeys) is { } am ? AlertHttpSinkReader.ReadAlertmanager(am) : null;
            case WebhookSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, AlertHttpSinkReader.WebhookKeys) is { } hook ? AlertHttpSinkReader.ReadWebhook(hook) : null;
            case ConsoleSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, ConsoleKeys) is not null ? new ConsoleSinkConfig(position, ConsoleFormat.Json) : null;
            case SyslogSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, SyslogKeys) is { } syslog ? ReadSyslog(syslog) : null;
            case NatsSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, NatsKeys) is { } nats ? ReadNats(nats) : null;
            case LokiSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, LokiKeys) is { } loki ? ReadLoki(loki) : null;
            case OtlpLogsSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, OtlpLogsKeys) is { } otlp ? ReadOtlpLogs(otlp) : null;
            case { } type:
                string? suggestion = KeySuggester.Suggest(type, KnownSinkTypes);
                ctx.Error(typeNode!, typePath, $"unknown log sink type {ValueReader.Quote(type)}; expected one of {string.Join(", ", KnownSinkTypes)}"
                    + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
                return null;
        }
    }

    private static DatadogLogsSinkConfig? ReadDatadog(ConfigMapping map, AgentDefaults agent)
    {
        int errors = map.Context.ErrorCount;
        Secret? key = map.Secret("api_key") ?? agent.ApiKey;
        if (key is null && map.Context.ErrorCount == errors)
        {
            map.Context.Error(map.Position, map.PathOf("api_key"),
                "an API key is required: set api_key here, api_key at the top of the file, or DD_API_KEY");
        }

        string? site = map.String("site");
        if (site is not null && !AgentConfigReader.IsValidSite(site))
        {
            map.Error("site", "expected a Datadog site such as datadoghq.com or datadoghq.eu, without https:// or a path");
        }

        Uri url = map.Url("url", ["https", "http"]) ?? DatadogLogsSinkConfig.SiteUrl(site ?? agent.Site);
        TimeSpan timeout = map.Seconds("timeout") ?? DatadogLogsSinkConfig.DefaultTimeout;
        return map.Context.ErrorCount == errors && key is not null ? new DatadogLogsSinkConfig(map.Position, key, url, timeout, map.Context.OutboundProxy) : null;
    }
}
