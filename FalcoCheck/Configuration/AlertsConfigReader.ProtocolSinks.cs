using FalcoCheck.Sinks.Alertmanager;
using FalcoCheck.Sinks.Loki;
using FalcoCheck.Sinks.Nats;
using FalcoCheck.Sinks.OtlpLogs;
using FalcoCheck.Sinks.Syslog;
using FalcoCheck.Sinks.Webhook;
using static FalcoCheck.Configuration.Declare;

namespace FalcoCheck.Configuration;

/// <summary>
/// The log sinks of <c>alerts.sinks</c> that speak another system's protocol: alertmanager, webhook, syslog, nats, loki
/// and otlp_logs, one reader each. The HTTP ones take the metrics sinks' auth and TLS keys (<see cref="ConnectionOptionsReader"/>).
/// </summary>
internal static partial class AlertsConfigReader
{
    private static readonly TextOption<Uri> AlertmanagerUrl = Url("url", ConnectionOptionsReader.HttpSchemes,
        "Alertmanager's base URL (with its route prefix if any); the sink appends `api/v2/alerts`", "http://127.0.0.1:9093", required: true);
    private static readonly ValueOption<TimeSpan> ExpiresAfter = Seconds("expires_after", null,
        "seconds (at most a day) until `endsAt`; Falcosidekick's `expiresafter`", "3600", "none");
    private static readonly TextOption<IReadOnlyDictionary<string, string>> AlertmanagerLabels = StringMap("extra_labels",
        "fixed labels (`cluster: prod-eu`); names `[a-zA-Z_][a-zA-Z0-9_]*`", "\n  cluster: prod-eu");
    private static readonly TextOption<Uri> WebhookUrl = Url("url", ConnectionOptionsReader.HttpSchemes,
        "the webhook's URL (its path is often its token: never printed)", "\"%%env_SLACK_WEBHOOK_URL%%\"", required: true);
    private static readonly ValueOption<WebhookFormat> PayloadFormat = Choice("format",
        [("json", WebhookFormat.Json), ("slack", WebhookFormat.Slack), ("mattermost", WebhookFormat.Mattermost), ("teams", WebhookFormat.Teams)],
        "`json`, `slack`, `mattermost` or `teams`");
    private static readonly ValueOption<TimeSpan> AlertmanagerTimeout = Timeout(AlertmanagerOptions.DefaultTimeout);
    private static readonly ValueOption<TimeSpan> WebhookTimeout = Timeout(WebhookOptions.DefaultTimeout);

    private static readonly TextOption<string> SyslogHost = Text("host", "the syslog server", "127.0.0.1", required: true);
    private static readonly ValueOption<long> SyslogPort = Integer("port", 514, 1, 65535, "the server's port", rule: "514, 6514 with `protocol: tls`");
    private static readonly ValueOption<SyslogTransport> SyslogProtocol = Choice("protocol",
        [("udp", SyslogTransport.Udp), ("tcp", SyslogTransport.Tcp), ("tls", SyslogTransport.Tls)], "`udp`, `tcp` or `tls` (RFC 5426, 6587, 5425)");

    /// <summary>True for <c>text</c>.</summary>
    private static readonly ValueOption<bool> TextFormat = Choice("format", [("json", false), ("text", true)],
        "`json` (the alert document) or `text` (Falco's output line)");
    private static readonly TextOption<string> Facility = OneOf("facility", SyslogOptions.Facilities, "user", "the syslog facility");
    private static readonly ValueOption<TimeSpan> SyslogTimeout = Timeout(SyslogOptions.DefaultTimeout);

    private static readonly TextOption<Uri> NatsUrl = Url("url", ["nats", "tls"], "`nats://HOST:PORT`, or `tls://` for TLS", "nats://127.0.0.1:4222", required: true);
    private static readonly TextOption<string> Subject = Text("subject", "the subject; `<priority>` and `<rule>` are replaced",
        NatsOptions.DefaultSubject, @default: NatsOptions.DefaultSubject);
    private static readonly TextOption<Secret> NatsToken = SecretText("token", "log in with a token instead of username and password; never printed", "\"%%env_NATS_TOKEN%%\"")
        .Excluding("username", "are two ways to log in");
    private static readonly ValueOption<TimeSpan> NatsTimeout = Timeout(NatsOptions.DefaultTimeout);

    private static readonly TextOption<Uri> LokiUrl = Url("url", ConnectionOptionsReader.HttpSchemes, "Loki's base URL; the sink appends `loki/api/v1/push`",
        "http://127.0.0.1:3100", required: true);
    private static readonly TextOption<string> Tenant = Text("tenant", "sent as `X-Scope-OrgID`", "<TENANT>");
    private static readonly ValueOption<LokiEncoding> Encoding = Choice("encoding", [("protobuf", LokiEncoding.Protobuf), ("json", LokiEncoding.Json)],
        "`protobuf` (snappy) or `json`");
    private static readonly TextOption<IReadOnlyList<string>> LokiLabels = StringList("labels",
        "stream labels, some of `priority`, `rule`, `source`, `hostname`, `k8s_ns_name`", "[priority, rule]", "`priority`, `rule`, `source`, `hostname`");
    private static readonly TextOption<IReadOnlyDictionary<string, string>> ExtraLabels = StringMap("extra_labels", "fixed labels of every stream",
        "\n  cluster: prod-eu");
    private static readonly ValueOption<TimeSpan> LokiTimeout = Timeout(LokiOptions.DefaultTimeout);

    private static readonly TextOption<Uri> OtlpLogsUrl = Url("url", ConnectionOptionsReader.HttpSchemes, "the collector; a bare address gets `/v1/logs`",
        "http://127.0.0.1:4318", required: true);
    private static readonly ValueOption<TimeSpan> OtlpLogsTimeout = Timeout(OtlpLogsOptions.DefaultTimeout);

    public static OptionSection Alertmanager => field ??= Sink(AlertmanagerSinkConfig.TypeName, "Alertmanager's v2 API",
        () => [AlertmanagerUrl, ExpiresAfter, AlertmanagerLabels, AlertmanagerTimeout, .. ConnectionOptionsReader.Auth, .. ConnectionOptionsReader.Tls]);

    public static OptionSection Webhook => field ??= Sink(WebhookSinkConfig.TypeName, "a webhook: JSON, Slack, Mattermost or Teams",
        () => [WebhookUrl, PayloadFormat, WebhookTimeout, .. ConnectionOptionsReader.Auth, .. ConnectionOptionsReader.Tls]);

    public static OptionSection Syslog => field ??= Sink(SyslogSinkConfig.TypeName, "RFC 5424 messages",
        () => [SyslogHost, SyslogPort, SyslogProtocol, TextFormat, Facility, SyslogTimeout, .. ConnectionOptionsReader.Tls]);

    public static OptionSection Nats => field ??= Sink(NatsSinkConfig.TypeName, "NATS messages",
        () => [NatsUrl, Subject, ConnectionOptionsReader.Username, ConnectionOptionsReader.Password, NatsToken, NatsTimeout, .. ConnectionOptionsReader.Tls]);

    public static OptionSection Loki => field ??= Sink(LokiSinkConfig.TypeName, "Grafana Loki's push API",
        () => [LokiUrl, Tenant, Encoding, TextFormat, LokiLabels, ExtraLabels, LokiTimeout, .. ConnectionOptionsReader.Auth, .. ConnectionOptionsReader.Tls]);

    public static OptionSection OtlpLogs => field ??= Sink(OtlpLogsSinkConfig.TypeName, "OTLP/HTTP logs",
        () => [OtlpLogsUrl, SinkConfigReader.ServiceName, SinkConfigReader.OtlpCompression, OtlpLogsTimeout, .. ConnectionOptionsReader.Auth, .. ConnectionOptionsReader.Tls]);

    private static AlertmanagerSinkConfig? ReadAlertmanager(ConfigMapping map)
    {
        var endpoint = ConnectionOptionsReader.Endpoint(map, AlertmanagerUrl);
        TimeSpan? expires = ExpiresAfter.Written(map);

        IReadOnlyDictionary<string, string>? labels = AlertmanagerLabels.Read(map);
        foreach (string name in labels?.Keys ?? [])
        {
            if (!IsLabelName(name))
            {
                map.Error(AlertmanagerLabels.Name, $"label name '{name}' is not a valid Alertmanager label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
        }

        return endpoint is null ? null : new AlertmanagerSinkConfig(map.Position, new AlertmanagerOptions
        {
            Endpoint = endpoint,
            ExpiresAfter = expires,
            ExtraLabels = labels ?? new Dictionary<string, string>(),
            Timeout = AlertmanagerTimeout.Read(map),
        });
    }

    private static WebhookSinkConfig? ReadWebhook(ConfigMapping map)
    {
        // ValueReader.Url never quotes the text back, which matters here: the URL's path is the webhook's token.
        Uri? url = WebhookUrl.Read(map);
        var endpoint = url is null ? null : ConnectionOptionsReader.Endpoint(map, url, withAuth: true) with { DisplayName = WebhookOptions.DisplayName(url) };
        return endpoint is null ? null
            : new WebhookSinkConfig(map.Position, new WebhookOptions { Endpoint = endpoint, Format = PayloadFormat.Read(map), Timeout = WebhookTimeout.Read(map) });
    }

    private static SyslogSinkConfig ReadSyslog(ConfigMapping map)
    {
        string? host = SyslogHost.Read(map);
        SyslogTransport transport = SyslogProtocol.Read(map);

        // 514 for UDP and TCP (RFC 5426, and what rsyslog's imtcp examples use), 6514 for TLS (RFC 5425).
        int port = (int)(SyslogPort.Written(map) ?? (transport == SyslogTransport.Tls ? 6514 : 514));
        string? facility = Facility.Read(map);
        if (transport != SyslogTransport.Tls)
        {
            foreach (string key in ConnectionOptionsReader.Tls.Select(o => o.Name))
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
            Format = TextFormat.Read(map) ? SyslogFormat.Text : SyslogFormat.Json,
            Facility = SyslogOptions.FacilityCode(facility),
            Timeout = SyslogTimeout.Read(map),
            Tls = ConnectionOptionsReader.ReadTls(map),
        };
        return new SyslogSinkConfig(map.Position, options);
    }

    private static NatsSinkConfig ReadNats(ConfigMapping map)
    {
        Uri? url = NatsUrl.Read(map);
        string subject = Subject.Read(map)!;
        if (NatsSubject.Problem(subject) is { } problem)
        {
            map.Error(Subject.Name, $"not a NATS subject: it {problem}");
        }

        var options = new NatsOptions
        {
            Url = url ?? new Uri("nats://127.0.0.1:4222"),
            Subject = subject,
            Username = ConnectionOptionsReader.Username.Read(map),
            Password = ConnectionOptionsReader.Password.Read(map),
            Token = NatsToken.Read(map),
            Timeout = NatsTimeout.Read(map),
            Tls = ConnectionOptionsReader.ReadTls(map),
        };
        return new NatsSinkConfig(map.Position, options);
    }

    private static LokiSinkConfig? ReadLoki(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        Uri? url = LokiUrl.Read(map);
        if (url is null)
        {
            return null;
        }

        // The base URL as Falcosidekick's loki.hostport takes it; a URL that already ends with the push path is kept.
        Uri push = url.AbsolutePath.EndsWith("/" + LokiOptions.PushPath, StringComparison.Ordinal)
            ? url
            : Sinks.Delivery.SinkHttpClient.Below(url, LokiOptions.PushPath);
        var endpoint = ConnectionOptionsReader.Endpoint(map, push, withAuth: true);
        var labels = new List<LokiLabel>();
        if (LokiLabels.Read(map) is { } names)
        {
            foreach (string name in names)
            {
                int index = LabelIndex(name);
                if (index < 0)
                {
                    map.Error(LokiLabels.Name, $"unknown label {ValueReader.Quote(name)}; expected some of {string.Join(", ", LokiOptions.LabelNames)} "
                        + "(the output text and per-event fields would make a stream per alert)");
                }
                else if (!labels.Contains((LokiLabel)index))
                {
                    labels.Add((LokiLabel)index);
                }
            }
        }

        var extra = ExtraLabels.Read(map) ?? new Dictionary<string, string>();
        foreach (string name in extra.Keys)
        {
            if (!IsLabelName(name))
            {
                map.Error(ExtraLabels.Name, $"{ValueReader.Quote(name)} is not a label name (letters, digits and '_', not starting with a digit)");
            }
            else if (LabelIndex(name) is int index and >= 0 && (map.Has(LokiLabels.Name) ? labels : LokiOptions.DefaultLabels).Contains((LokiLabel)index))
            {
                map.Error(ExtraLabels.Name, $"{ValueReader.Quote(name)} is already a label of the alert");
            }
        }

        if (map.Has(LokiLabels.Name) && labels.Count == 0 && extra.Count == 0 && map.Context.ErrorCount == errors)
        {
            map.Error(LokiLabels.Name, "Loki needs at least one label: give labels or extra_labels");
        }

        var options = new LokiOptions
        {
            Endpoint = endpoint,
            Tenant = Tenant.Read(map),
            Encoding = Encoding.Read(map),
            TextLines = TextFormat.Read(map),
            Labels = map.Has(LokiLabels.Name) ? labels : LokiOptions.DefaultLabels,
            ExtraLabels = extra,
            Timeout = LokiTimeout.Read(map),
        };
        return new LokiSinkConfig(map.Position, options);
    }

    private static OtlpLogsSinkConfig? ReadOtlpLogs(ConfigMapping map)
    {
        Uri? url = OtlpLogsUrl.Read(map);
        if (url is null)
        {
            return null;
        }

        // A bare collector address (http://collector:4318) gets the signal path, as OTEL_EXPORTER_OTLP_ENDPOINT does.
        Uri logs = url.AbsolutePath == "/" ? Sinks.Delivery.SinkHttpClient.Below(url, OtlpLogsOptions.LogsPath) : url;
        var options = new OtlpLogsOptions
        {
            Endpoint = ConnectionOptionsReader.Endpoint(map, logs, withAuth: true),
            ServiceName = SinkConfigReader.ServiceName.Read(map)!,
            Compression = SinkConfigReader.OtlpCompression.Read(map),
            Timeout = OtlpLogsTimeout.Read(map),
        };
        return new OtlpLogsSinkConfig(map.Position, options);
    }

    private static int LabelIndex(string name) => LokiOptions.LabelNames.ToList().IndexOf(name);

    /// <summary>Prometheus' label name rule, which Loki and Alertmanager apply: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    internal static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(LabelNameChars);

    private static readonly System.Buffers.SearchValues<char> LabelNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
}
