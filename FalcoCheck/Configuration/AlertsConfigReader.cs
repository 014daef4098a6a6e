using System.Net;
using FalcoCheck.Sinks.Loki;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Sinks.Syslog;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads the agent file's <c>alerts:</c> section into <see cref="AlertsConfig"/>. The log sinks are chosen by a
/// switch on <c>type</c>, as <see cref="SinkConfigReader"/> does for metrics; <c>file</c> and <c>console</c> reuse
/// the metrics sinks' records because their settings are the same.
/// </summary>
internal static class AlertsConfigReader
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
        [DatadogLogsSinkConfig.TypeName, FileSinkConfig.TypeName, ConsoleSinkConfig.TypeName, SyslogSinkConfig.TypeName, NatsSinkConfig.TypeName, LokiSinkConfig.TypeName, OtlpLogsSinkConfig.TypeName];

    private static readonly string[] DatadogKeys = [TypeKey, "api_key", "site", "url", "timeout"];
    private static readonly string[] FileKeys = [TypeKey, "path"];
    private static readonly string[] ConsoleKeys = [TypeKey];
    private static readonly string[] SyslogKeys = [TypeKey, "host", "port", "protocol", "format", "facility", "timeout", .. NetworkSinkReader.TlsKeys];
    private static readonly string[] NatsKeys = [TypeKey, "url", "subject", "username", "password", "token", "timeout", .. NetworkSinkReader.TlsKeys];
    private static readonly string[] NatsSchemes = ["nats", "tls"];
    private static readonly string[] LokiKeys =
        [TypeKey, "url", "tenant", "encoding", "format", "labels", "extra_labels", "timeout", .. NetworkSinkReader.AuthKeys, .. NetworkSinkReader.TlsKeys];
    private static readonly string[] OtlpLogsKeys =
        [TypeKey, "url", "service_name", "compression", "timeout", .. NetworkSinkReader.AuthKeys, .. NetworkSinkReader.TlsKeys];
    private static readonly string[] OtlpCompressions = ["none", "gzip"];
    private static readonly string[] HttpSchemes = ["http", "https"];
    private static readonly string[] LokiEncodings = ["protobuf", "json"];
    private static readonly string[] SyslogProtocols = ["udp", "tcp", "tls"];
    private static readonly string[] MessageFormats = ["json", "text"];

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
            if (ReadSink(ctx, list.Children[i], ValueReader.Index(path, i), agent) is { } sink)
            {
                sinks.Add(sink);
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
        return map.Context.ErrorCount == errors && key is not null ? new DatadogLogsSinkConfig(map.Position, key, url, timeout) : null;
    }

    private static SyslogSinkConfig? ReadSyslog(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        string? host = map.RequiredString("host");
        SyslogTransport transport = map.OneOf("protocol", SyslogProtocols) switch
        {
            "tcp" => SyslogTransport.Tcp,
            "tls" => SyslogTransport.Tls,
            _ => SyslogTransport.Udp,
        };

        // 514 for UDP and TCP (RFC 5426, and what rsyslog's imtcp examples use), 6514 for TLS (RFC 5425).
        int port = (int)(map.Integer("port", 1, 65535) ?? (transport == SyslogTransport.Tls ? 6514 : 514));
        string? facility = map.OneOf("facility", SyslogOptions.Facilities);
        if (transport != SyslogTransport.Tls)
        {
            foreach (string key in NetworkSinkReader.TlsKeys)
            {
                if (map.Has(key))
                {
                    map.Error(key, "TLS settings need protocol: tls");
                }
            }
        }

        var options = new SyslogOptions
        {
            Host = host ?? string.Empty,
            Port = port,
            Transport = transport,
            Format = map.OneOf("format", MessageFormats) == "text" ? SyslogFormat.Text : SyslogFormat.Json,
            Facility = SyslogOptions.FacilityCode(facility),
            Timeout = map.Seconds("timeout") ?? SyslogOptions.DefaultTimeout,
            Tls = NetworkSinkReader.Tls(map),
        };
        return map.Context.ErrorCount == errors && host is not null ? new SyslogSinkConfig(map.Position, options) : null;
    }

    private static NatsSinkConfig? ReadNats(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        Uri? url = map.Require("url") ? map.Url("url", NatsSchemes) : null;
        string subject = map.String("subject") ?? NatsOptions.DefaultSubject;
        if (NatsSubject.Problem(subject) is { } problem)
        {
            map.Error("subject", $"not a NATS subject: it {problem}");
        }

        NetworkSinkReader.RequireUserAndPassword(map);
        if (map.Has("token") && map.Has("username"))
        {
            map.Error("token", "token and username/password are two ways to log in; use one of them");
        }

        var options = new NatsOptions
        {
            Url = url ?? new Uri("nats://127.0.0.1:4222"),
            Subject = subject,
            Username = map.String("username"),
            Password = map.Secret("password"),
            Token = map.Secret("token"),
            Timeout = map.Seconds("timeout") ?? NatsOptions.DefaultTimeout,
            Tls = NetworkSinkReader.Tls(map),
        };
        return map.Context.ErrorCount == errors && url is not null ? new NatsSinkConfig(map.Position, options) : null;
    }

    private static LokiSinkConfig? ReadLoki(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        Uri? url = map.Require("url") ? map.Url("url", HttpSchemes) : null;
        if (url is null)
        {
            return null;
        }

        // The base URL as Falcosidekick's loki.hostport takes it; a URL that already ends with the push path is kept.
        Uri push = url.AbsolutePath.EndsWith("/" + LokiOptions.PushPath, StringComparison.Ordinal)
            ? url
            : new Uri(url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"), LokiOptions.PushPath);
        var endpoint = NetworkSinkReader.Endpoint(map, push, withAuth: true);
        var labels = new List<LokiLabel>();
        if (map.StringList("labels") is { } names)
        {
            foreach (string name in names)
            {
                int index = IndexOf(LokiOptions.LabelNames, name);
                if (index < 0)
                {
                    map.Error("labels", $"unknown label {ValueReader.Quote(name)}; expected some of {string.Join(", ", LokiOptions.LabelNames)} "
                        + "(the output text and per-event fields would make a stream per alert)");
                }
                else if (!labels.Contains((LokiLabel)index))
                {
                    labels.Add((LokiLabel)index);
                }
            }
        }

        var extra = map.StringMap("extra_labels") ?? new Dictionary<string, string>();
        foreach (string name in extra.Keys)
        {
            if (!IsLabelName(name))
            {
                map.Error("extra_labels", $"{ValueReader.Quote(name)} is not a label name (letters, digits and '_', not starting with a digit)");
            }
            else if (IndexOf(LokiOptions.LabelNames, name) is int index and >= 0 && (map.Has("labels") ? labels : LokiOptions.DefaultLabels).Contains((LokiLabel)index))
            {
                map.Error("extra_labels", $"{ValueReader.Quote(name)} is already a label of the alert");
            }
        }

        if (map.Has("labels") && labels.Count == 0 && extra.Count == 0 && map.Context.ErrorCount == errors)
        {
            map.Error("labels", "Loki needs at least one label: give labels or extra_labels");
        }

        var options = new LokiOptions
        {
            Endpoint = endpoint,
            Tenant = map.String("tenant"),
            Encoding = map.OneOf("encoding", LokiEncodings) == "json" ? LokiEncoding.Json : LokiEncoding.Protobuf,
            TextLines = map.OneOf("format", MessageFormats) == "text",
            Labels = map.Has("labels") ? labels : LokiOptions.DefaultLabels,
            ExtraLabels = extra,
            Timeout = map.Seconds("timeout") ?? LokiOptions.DefaultTimeout,
        };
        return map.Context.ErrorCount == errors ? new LokiSinkConfig(map.Position, options) : null;
    }

    private static OtlpLogsSinkConfig? ReadOtlpLogs(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        Uri? url = map.Require("url") ? map.Url("url", HttpSchemes) : null;
        if (url is null)
        {
            return null;
        }

        // A bare collector address (http://collector:4318) gets the signal path, as OTEL_EXPORTER_OTLP_ENDPOINT does.
        Uri logs = url.AbsolutePath == "/" ? new Uri(url, OtlpLogsOptions.LogsPath) : url;
        var options = new OtlpLogsOptions
        {
            Endpoint = NetworkSinkReader.Endpoint(map, logs, withAuth: true),
            ServiceName = map.String("service_name") ?? Sinks.Otlp.OtlpOptions.DefaultServiceName,
            Compression = map.OneOf("compression", OtlpCompressions) == "gzip" ? Sinks.Delivery.Compression.Gzip : Sinks.Delivery.Compression.None,
            Timeout = map.Seconds("timeout") ?? OtlpLogsOptions.DefaultTimeout,
        };
        return map.Context.ErrorCount == errors ? new OtlpLogsSinkConfig(map.Position, options) : null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Prometheus' label name rule, which Loki applies: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    private static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(LabelNameChars);

    private static readonly System.Buffers.SearchValues<char> LabelNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
}
