using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using YamlDotNet.RepresentationModel;
using static FalcoCheck.Configuration.Declare;
using Net = FalcoCheck.Configuration.ConnectionOptionsReader;

namespace FalcoCheck.Configuration;

/// <summary>
/// The options of one entry of <c>instances:</c>, declared once in conf.yaml.example's order, and the reader that
/// applies init_config defaults. All errors go to the context; the caller keeps the instance only if it added none.
/// </summary>
internal static class InstanceConfigReader
{
    /// <summary>1 GiB: the body is parsed from one buffer, and nothing Falco writes comes near this.</summary>
    private const long SizeLimit = 1L << 30;

    // Limits that hold under attack (README "Hardening"). Upper bounds only catch typos: a line or label cannot be
    // longer than the largest body; counts are capped where memory (about 1 KiB per kept series) would run out.
    private const int MaxLabelsLimit = 65_536;
    private const int CountLimit = 10_000_000;
    private const string Limit = "; see [Hardening](#hardening)";

    internal static readonly TextOption<Uri> Endpoint = Url("openmetrics_endpoint", Net.HttpSchemes,
        "URL of Falco's metrics, e.g. `http://localhost:8765/metrics`", "http://localhost:8765/metrics", required: true);
    internal static readonly TextOption<string> RawMetricPrefix = Text("raw_metric_prefix",
        "removed from raw names before the metric options match them; the built-in map keeps working", "<PREFIX>_");
    internal static readonly SectionOption ExtraMetrics = Nested("extra_metrics",
        "more series to send: `raw_name`, `{raw_name: sent_name}`, `{raw_name: {name, type}}`, or a regular expression; sent as `falco.<name>`, counters as `falco.<name>.count`",
        "[]", kind: OptionKind.List, typeWord: "(list of string or mapping)");
    internal static readonly SectionOption ExcludeMetrics = Nested("exclude_metrics",
        "raw names (exact or regular expression) not to send", "[]", kind: OptionKind.List, typeWord: "list of strings");
    internal static readonly SectionOption Metrics = Nested("metrics",
        "OpenMetrics V2's name for the same list as `extra_metrics` (both are read)", "[]", kind: OptionKind.List, typeWord: "(list of string or mapping)");
    internal static readonly SectionOption MetricPatterns = Nested("metric_patterns",
        "`include:` / `exclude:` regular expressions searched in raw names; with `include`, only matches are sent; `exclude` wins",
        "\n  include:\n  - ^falcosecurity_\n  exclude:\n  - jemalloc", () => DatadogCompatibility.PatternSection);
    internal static readonly SectionOption ExcludeMetricsByLabels = Nested("exclude_metrics_by_labels",
        "`label: true` (any value) or `label: [values]` drops matching series", "{}");
    internal static readonly TextOption<IReadOnlyList<string>> ExcludeLabels = StringList("exclude_labels", "labels that never become tags", "[]");
    internal static readonly TextOption<IReadOnlyList<string>> IncludeLabels = StringList("include_labels",
        "when set, only these labels become tags (`exclude_labels` wins)", "[]");
    internal static readonly TextOption<IReadOnlyDictionary<string, string>> RenameLabels = StringMap("rename_labels",
        "`label: new_tag_name`", "\n  <LABEL_NAME_1>: <NEW_LABEL_NAME_1>\n  <LABEL_NAME_2>: <NEW_LABEL_NAME_2>");
    internal static readonly ValueOption<bool> TagByEndpoint = Bool("tag_by_endpoint", true, "add `endpoint:<url>` (credentials and query removed)");
    internal static readonly ValueOption<bool> HealthServiceCheck = Bool("enable_health_service_check", true, "send `falco.openmetrics.health`");
    internal static readonly ValueOption<bool> IgnoreConnectionErrors = Bool("ignore_connection_errors", false,
        "an unreachable endpoint is skipped without a CRITICAL");
    internal static readonly TextOption<string> HostnameLabel = Text("hostname_label", "submit each series for the host named by this label");
    internal static readonly ValueOption<bool> UseLatestSpec = Bool("use_latest_spec", false,
        "ask for OpenMetrics 1.0 text (Falco answers Prometheus text either way)");
    internal static readonly ValueOption<bool> OpenMetricsStrict = Bool("openmetrics_strict", true,
        "an OpenMetrics body that breaks the 1.0 specification fails the scrape, CRITICAL with line:column (see [OpenMetrics](#openmetrics)); Prometheus text is not affected");
    internal static readonly ValueOption<bool> ExtendedMetrics = Bool("extended_metrics", true,
        "FalcoCheck's metrics beyond Datadog's list (see [Metrics](#metrics))");
    internal static readonly ValueOption<bool> InfoTags = Bool("info_tags", true,
        "`falco_version`, `kernel_release`, `engine_name`, `evt_source` on every series");
    internal static readonly TextOption<string> RuleTags = OneOf("rule_tags", ["fold", "labels", "drop"], "fold",
        "`fold`, `labels` or `drop`: Falco's `tag_<x>` rule labels");
    internal static readonly ValueOption<long> MaxRules = Integer("max_rules", InstanceConfig.DefaultMaxRules, 0, 1_000_000,
        "distinct rules per interval before the rest is summed under `rule_name:other`; 0 for no cap");
    internal static readonly ValueOption<long> MaxResponseSize = Bytes("max_response_size", InstanceConfig.DefaultMaxResponseBytes, 1, SizeLimit,
        "bytes; a larger body is refused (CRITICAL), never read whole");
    internal static readonly ValueOption<long> MaxLineLength = Bytes("max_line_length", TextParserOptions.DefaultMaxLineBytes, 1, SizeLimit,
        "bytes; a longer line is skipped and counted" + Limit);
    internal static readonly ValueOption<long> MaxLabelsPerSeries = Integer("max_labels_per_series", TextParserOptions.DefaultMaxLabelsPerSeries, 1, MaxLabelsLimit,
        "a sample with more labels is skipped and counted" + Limit);
    internal static readonly ValueOption<long> MaxLabelNameLength = Bytes("max_label_name_length", TextParserOptions.DefaultMaxLabelNameBytes, 1, SizeLimit,
        "bytes; a sample with a longer label name is skipped and counted" + Limit);
    internal static readonly ValueOption<long> MaxLabelValueLength = Bytes("max_label_value_length", TextParserOptions.DefaultMaxLabelValueBytes, 1, SizeLimit,
        "bytes as written; a sample with a longer label value is skipped and counted" + Limit);
    internal static readonly ValueOption<long> MaxSeriesPerScrape = Integer("max_series_per_scrape", MappingOptions.DefaultMaxSeriesPerScrape, 1, CountLimit,
        "samples past this many in one payload are not submitted, and counted" + Limit);
    internal static readonly ValueOption<long> MaxCounterContexts = Integer("max_counter_contexts", CounterStateOptions.DefaultMaxContexts, 1, CountLimit,
        "distinct counters kept for counts; new ones past it are not counted" + Limit);
    internal static readonly SectionOption Proxy = Nested("proxy", "this instance's proxy", ProxyConfigReader.Example, () => ProxyConfigReader.Section, rule: "`init_config.proxy`");
    internal static readonly ValueOption<bool> SkipProxy = Bool("skip_proxy", false, "connect directly, ignoring any proxy");
    internal static readonly TextOption<string> AuthType = Text("auth_type",
        "`basic` only (Datadog's `digest`, `ntlm`, `kerberos` and `aws` are refused)", "basic", @default: "basic");
    internal static readonly TextOption<Secret> Password = SecretText("password", "HTTP basic auth password (never printed)", "\"%%env_FALCO_PASSWORD%%\"")
        .Needing("username");
    internal static readonly SectionOption AuthToken = Nested(AuthTokenReader.Key,
        "`reader: {type: file, path, pattern}` and `writer: {type: header, name, value: \"Bearer <TOKEN>\"}`; the file is read at every scrape, so rotated tokens are picked up",
        "\n  reader:\n    type: file\n    path: /var/run/secrets/kubernetes.io/serviceaccount/token\n  writer:\n    type: header\n    name: Authorization\n    value: Bearer <TOKEN>");
    internal static readonly ValueOption<bool> TlsIgnoreWarning = Bool("tls_ignore_warning", false,
        "silences the notice that `tls_verify: false` prints");
    internal static readonly SectionOption TlsProtocols = Nested("tls_protocols_allowed",
        "`TLSv1.2` and/or `TLSv1.3`; `SSLv3`, `TLSv1`, `TLSv1.1` are noticed and never offered", "\n  - TLSv1.2\n  - TLSv1.3",
        kind: OptionKind.List, rule: "system (TLS 1.2, 1.3)");
    internal static readonly SectionOption TlsCiphers = Nested("tls_ciphers",
        "IANA names (`TLS_AES_128_GCM_SHA256`) or the usual OpenSSL names of the TLS 1.2 ECDHE suites",
        "\n  - TLS_AES_256_GCM_SHA384\n  - TLS_AES_128_GCM_SHA256", kind: OptionKind.List, rule: "`ALL`");
    internal static readonly TextOption<IReadOnlyDictionary<string, string>> Headers = Declare.Headers("headers", "replaces the default request headers",
        "\n  Host: <ALTERNATIVE_HOSTNAME>\n  X-Auth-Token: <AUTH_TOKEN>", "Accept + User-Agent");
    internal static readonly TextOption<IReadOnlyDictionary<string, string>> ExtraHeaders = Declare.Headers("extra_headers", "headers added to the defaults",
        "\n  Host: <ALTERNATIVE_HOSTNAME>\n  X-Auth-Token: <AUTH_TOKEN>");

    // Defaults never make a config invalid: a default interval grows to the longest timeout written, and a default
    // timeout shrinks to the interval. Only values the user wrote can conflict (CheckOverlap).
    internal static readonly ValueOption<TimeSpan> Timeout = Seconds("timeout", InitConfig.DefaultTimeout.TotalSeconds,
        "seconds; default of the two below; a written timeout may not exceed a written `min_collection_interval`",
        rule: "`init_config.timeout`, else 10 or `min_collection_interval` if shorter", derivedFrom: ["min_collection_interval"]);
    internal static readonly ValueOption<TimeSpan> ConnectTimeout = Seconds("connect_timeout", null, "seconds to connect", "5", "`timeout`", ["timeout", "min_collection_interval"]);
    internal static readonly ValueOption<TimeSpan> ReadTimeout = Seconds("read_timeout", null, "seconds to get the whole response", "10", "`timeout`", ["timeout", "min_collection_interval"]);
    internal static readonly ValueOption<bool> AllowRedirects = Bool("allow_redirects", true, "follow the endpoint's HTTP redirects");
    internal static readonly SectionOption IgnoreTags = Nested("ignore_tags",
        "regular expressions; entries of `tags` they find are not added", "\n  - \"^tmp:\"", kind: OptionKind.List);
    internal static readonly TextOption<IReadOnlyList<string>> Tags = StringList("tags", "tags added to every series and to the service check",
        "\n  - <KEY_1>:<VALUE_1>\n  - <KEY_2>:<VALUE_2>", "`[]`");
    internal static readonly TextOption<string> Service = Text("service", "adds `service:<value>`", "<SERVICE>", "`init_config.service`");
    internal static readonly ValueOption<TimeSpan> Interval = Seconds("min_collection_interval", InstanceConfig.DefaultMinCollectionInterval.TotalSeconds,
        "seconds between runs in the daemon; the interval of counts", rule: "15, or the longest timeout written if longer",
        derivedFrom: ["timeout", "connect_timeout", "read_timeout"]);

    public static OptionSection Section { get; } = new("instances", "a mapping with openmetrics_endpoint",
    [
        Endpoint, RawMetricPrefix, ExtraMetrics, ExcludeMetrics, Metrics, MetricPatterns, ExcludeMetricsByLabels, ExcludeLabels,
        IncludeLabels, RenameLabels, TagByEndpoint, HealthServiceCheck, IgnoreConnectionErrors, HostnameLabel, UseLatestSpec,
        OpenMetricsStrict, ExtendedMetrics, InfoTags, RuleTags, MaxRules, MaxResponseSize, MaxLineLength, MaxLabelsPerSeries,
        MaxLabelNameLength, MaxLabelValueLength, MaxSeriesPerScrape, MaxCounterContexts, Proxy, SkipProxy, AuthType, Net.Username,
        Password, AuthToken, Net.TlsVerify, TlsIgnoreWarning, TlsProtocols, TlsCiphers, Net.TlsCert, Net.TlsPrivateKey, Net.TlsCaCert, Headers,
        ExtraHeaders, Timeout, ConnectTimeout, ReadTimeout, AllowRedirects, IgnoreTags, Tags, Service, Interval,
    ])
    {
        DatadogOnly = DatadogOnlyOptions.Instance,
        IsList = true,
        Doc = "Every instance is scheduled independently of the others; an instance with an error is skipped.",
    };

    public static InstanceConfig? Read(ConfigReadContext ctx, YamlNode node, int index, InitConfig init, YamlNode? initTimeoutNode)
    {
        string path = ValueReader.Index("instances", index);
        int errors = ctx.ErrorCount;
        if (YamlScalars.IsNull(node))
        {
            ctx.Error(node, path, $"expected {Section.What}, got nothing (null)");
            return null;
        }

        if (Section.Open(ctx, node, path, ctx.At(node)) is not { } map)
        {
            return null;
        }

        Uri? endpoint = Endpoint.Read(map);
        TimeSpan? writtenTimeout = Timeout.Written(map) ?? (initTimeoutNode is null ? null : init.Timeout);
        TimeSpan? writtenConnect = ConnectTimeout.Written(map);
        TimeSpan? writtenRead = ReadTimeout.Written(map);
        var (includeMetrics, excludeMetrics) = DatadogCompatibility.ReadMetricPatterns(map);
        TimeSpan interval = Interval.Written(map) ?? new[] { Interval.DefaultValue, writtenTimeout, writtenConnect, writtenRead }.Max()!.Value;
        TimeSpan timeout = writtenTimeout ?? (Timeout.DefaultValue < interval ? Timeout.DefaultValue.Value : interval);
        var tls = Net.ReadTls(map); // the sinks' tls_* and auth options, declared once
        var result = new InstanceConfig
        {
            Index = index,
            Position = map.Position,
            OpenMetricsEndpoint = endpoint ?? new Uri("http://invalid/"),
            Tags = DatadogCompatibility.WithoutIgnoredTags(map, Tags.Read(map) ?? []),
            Service = Service.Read(map) ?? init.Service,
            MinCollectionInterval = interval,
            Timeout = timeout,
            ConnectTimeout = writtenConnect ?? timeout,
            ReadTimeout = writtenRead ?? timeout,
            Headers = Headers.Read(map),
            ExtraHeaders = ExtraHeaders.Read(map) ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            Username = Net.Username.Read(map),
            Password = Password.Read(map),
            AuthToken = AuthTokenReader.Read(map),
            TlsVerify = tls.Verify,
            TlsCaCert = tls.CaCert,
            TlsCert = tls.Cert,
            TlsPrivateKey = tls.PrivateKey,
            ExtraMetrics = [.. MetricFilterReader.ReadExtraMetrics(map, ExtraMetrics) ?? [], .. MetricFilterReader.ReadExtraMetrics(map, Metrics) ?? []],
            ExcludeMetrics = [.. MetricFilterReader.ReadExcludeMetrics(map) ?? [], .. excludeMetrics],
            IncludeMetrics = includeMetrics,
            ExcludeMetricsByLabels = MetricFilterReader.ReadExcludeMetricsByLabels(map)
                ?? new Dictionary<string, LabelValueFilter>(StringComparer.Ordinal),
            ExcludeLabels = ExcludeLabels.Read(map) ?? [],
            IncludeLabels = IncludeLabels.Read(map) ?? [],
            RenameLabels = RenameLabels.Read(map) ?? new Dictionary<string, string>(StringComparer.Ordinal),
            TagByEndpoint = TagByEndpoint.Read(map),
            EnableHealthServiceCheck = HealthServiceCheck.Read(map),
            IgnoreConnectionErrors = IgnoreConnectionErrors.Read(map),
            RawMetricPrefix = RawMetricPrefix.Read(map),
            HostnameLabel = HostnameLabel.Read(map),
            UseLatestSpec = UseLatestSpec.Read(map),
            OpenMetricsStrict = OpenMetricsStrict.Read(map),
            MaxResponseBytes = MaxResponseSize.Read(map),
            Proxy = ProxyConfigReader.Read(map) ?? init.Proxy,
            SkipProxy = SkipProxy.Written(map) ?? init.SkipProxy,
            AllowRedirects = AllowRedirects.Read(map),
            TlsProtocols = DatadogCompatibility.ReadTlsProtocols(map),
            TlsCiphers = DatadogCompatibility.ReadTlsCiphers(map),
            ExtendedMetrics = ExtendedMetrics.Read(map),
            InfoTags = InfoTags.Read(map),
            RuleTags = RuleTags.Read(map)!,
            MaxRules = (int)MaxRules.Read(map),
            MaxLineBytes = (int)MaxLineLength.Read(map),
            MaxLabelsPerSeries = (int)MaxLabelsPerSeries.Read(map),
            MaxLabelNameBytes = (int)MaxLabelNameLength.Read(map),
            MaxLabelValueBytes = (int)MaxLabelValueLength.Read(map),
            MaxSeriesPerScrape = (int)MaxSeriesPerScrape.Read(map),
            MaxCounterContexts = (int)MaxCounterContexts.Read(map),
        };

        CheckAuthType(map);
        CheckAuthToken(map, result);
        DatadogCompatibility.WarnInsecure(map, result.TlsVerify);
        CheckOverlap(ctx, map, result, initTimeoutNode);
        return ctx.ErrorCount == errors && endpoint is not null ? result : null;
    }

    /// <summary>Only basic auth is implemented; Datadog's other types get a "not supported" message.</summary>
    private static void CheckAuthType(ConfigMapping map)
    {
        if (AuthType.Read(map) is { } type && type != "basic")
        {
            map.Error(AuthType.Name, type is "digest" or "ntlm" or "kerberos" or "aws"
                ? $"'{type}' is a Datadog option FalcoCheck does not support; FalcoCheck supports basic (username and password) and auth_token"
                : $"expected basic, got {ValueReader.Quote(type)}");
        }
    }

    private static void CheckAuthToken(ConfigMapping map, InstanceConfig instance)
    {
        if (instance.AuthToken is { } token && map.Has(Net.Username.Name)
            && string.Equals(token.HeaderName, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            map.Error(AuthToken.Name, "auth_token writes the Authorization header, which username and password also set; use one of them");
        }
    }

    /// <summary>
    /// A timeout longer than the interval would let a slow scrape overlap the next run of the same instance. Only
    /// values the user wrote are compared (defaults adapt, see <see cref="Read"/>), and the message names both places.
    /// </summary>
    private static void CheckOverlap(ConfigReadContext ctx, ConfigMapping map, InstanceConfig instance, YamlNode? initTimeoutNode)
    {
        if (!map.Has(Interval.Name))
        {
            return;
        }

        string interval = ValueReader.SecondsText(instance.MinCollectionInterval);
        SourcePosition intervalAt = ctx.At(map.Get(Interval.Name)!);
        foreach ((ConfigOption option, TimeSpan value) in new (ConfigOption, TimeSpan)[] { (Timeout, instance.Timeout), (ConnectTimeout, instance.ConnectTimeout), (ReadTimeout, instance.ReadTimeout) })
        {
            if (value <= instance.MinCollectionInterval)
            {
                continue;
            }

            if (map.Has(option.Name))
            {
                map.Error(option.Name, $"{ValueReader.SecondsText(value)} s is longer than {Interval} ({interval} s, at {intervalAt}); runs would overlap");
            }
            else if (option == Timeout && initTimeoutNode is not null)
            {
                map.Error(Interval.Name, $"{interval} s is shorter than init_config.timeout ({ValueReader.SecondsText(value)} s, at {ctx.At(initTimeoutNode)}); runs would overlap");
            }
        }
    }

}
