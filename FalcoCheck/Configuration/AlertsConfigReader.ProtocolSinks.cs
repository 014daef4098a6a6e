using FalcoCheck.Sinks.Loki;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Sinks.Syslog;

namespace FalcoCheck.Configuration;

/// <summary>The protocol log sinks of <c>alerts.sinks</c>: syslog, nats, loki and otlp_logs, one reader each.</summary>
internal static partial class AlertsConfigReader
{
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
