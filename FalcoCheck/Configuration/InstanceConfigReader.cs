using System.Globalization;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads one entry of <c>instances:</c>, applying init_config defaults. All errors go to the context; the
/// caller keeps the instance only if it added none.
/// </summary>
internal static class InstanceConfigReader
{
    private const string Endpoint = "openmetrics_endpoint";
    private const string Timeout = "timeout";
    private const string ConnectTimeout = "connect_timeout";
    private const string ReadTimeout = "read_timeout";
    private const string Interval = "min_collection_interval";
    private const string Username = "username";
    private const string Password = "password";
    private const string AuthType = "auth_type";
    private const string TlsCert = "tls_cert";
    private const string TlsPrivateKey = "tls_private_key";
    private const string MaxResponseSize = "max_response_size";

    /// <summary>1 GiB: the body is parsed from one buffer, and nothing Falco writes comes near this.</summary>
    private const long MaxResponseSizeLimit = 1L << 30;

    // Limits that hold under attack (README "Hardening"). Upper bounds only catch typos: a line or label cannot be
    // longer than the largest body; counts are capped where memory (about 1 KiB per kept series) would run out.
    internal const string MaxLineLength = "max_line_length";
    internal const string MaxLabelsPerSeries = "max_labels_per_series";
    internal const string MaxLabelNameLength = "max_label_name_length";
    internal const string MaxLabelValueLength = "max_label_value_length";
    internal const string MaxSeriesPerScrape = "max_series_per_scrape";
    internal const string MaxCounterContexts = "max_counter_contexts";
    private const int MaxLabelsLimit = 65_536;
    private const int MaxCountLimit = 10_000_000;

    public static IReadOnlyList<string> Keys { get; } =
    [
        Endpoint, "tags", "service", Interval, Timeout, ConnectTimeout, ReadTimeout,
        "headers", "extra_headers", Username, Password, AuthType, AuthTokenReader.Key,
        "tls_verify", "tls_ca_cert", TlsCert, TlsPrivateKey,
        MetricFilterReader.ExtraMetricsKey, MetricFilterReader.ExcludeMetricsKey, MetricFilterReader.ExcludeMetricsByLabelsKey,
        "exclude_labels", "include_labels", "rename_labels", "tag_by_endpoint", "enable_health_service_check",
        "ignore_connection_errors", "raw_metric_prefix", "hostname_label", "use_latest_spec", "openmetrics_strict", MaxResponseSize,
        "proxy", "skip_proxy", "extended_metrics", "info_tags", "rule_tags", "max_rules",
        DatadogCompatibility.Metrics, DatadogCompatibility.MetricPatterns, DatadogCompatibility.IgnoreTags,
        DatadogCompatibility.TlsIgnoreWarning, DatadogCompatibility.AllowRedirects, DatadogCompatibility.TlsProtocolsAllowed,
        DatadogCompatibility.TlsCiphers,
        MaxLineLength, MaxLabelsPerSeries, MaxLabelNameLength, MaxLabelValueLength, MaxSeriesPerScrape, MaxCounterContexts,
    ];

    /// <summary>Values of rule_tags, in the order of <see cref="Mapping.RuleTagMode"/>.</summary>
    public static IReadOnlyList<string> RuleTagModes { get; } = ["fold", "labels", "drop"];

    private static readonly string[] EndpointSchemes = ["http", "https"];

    public static InstanceConfig? Read(ConfigReadContext ctx, YamlNode node, int index, InitConfig init, YamlNode? initTimeoutNode)
    {
        string path = ValueReader.Index("instances", index);
        int errors = ctx.ErrorCount;
        if (YamlScalars.IsNull(node))
        {
            ctx.Error(node, path, $"expected a mapping with {Endpoint}, got nothing (null)");
            return null;
        }

        ConfigMapping? map = ConfigMapping.Open(ctx, node, path, ctx.At(node), Keys, DatadogOnlyOptions.Instance,
            what: $"a mapping with {Endpoint}");
        if (map is null)
        {
            return null;
        }

        Uri? endpoint = map.Require(Endpoint) ? map.Url(Endpoint, EndpointSchemes) : null;
        // Defaults never make a config invalid: a default interval grows to the longest timeout written, and a
        // default timeout shrinks to the interval. Only values the user wrote can conflict (CheckOverlap).
        TimeSpan? writtenTimeout = map.Seconds(Timeout) ?? (initTimeoutNode is null ? null : init.Timeout);
        TimeSpan? writtenConnect = map.Seconds(ConnectTimeout);
        TimeSpan? writtenRead = map.Seconds(ReadTimeout);
        var (includeMetrics, excludeMetrics) = DatadogCompatibility.ReadMetricPatterns(map);
        TimeSpan interval = map.Seconds(Interval) ?? Longest(InstanceConfig.DefaultMinCollectionInterval, writtenTimeout, writtenConnect, writtenRead);
        TimeSpan timeout = writtenTimeout ?? (InitConfig.DefaultTimeout < interval ? InitConfig.DefaultTimeout : interval);
        var result = new InstanceConfig
        {
            Index = index,
            Position = map.Position,
            OpenMetricsEndpoint = endpoint ?? new Uri("http://invalid/"),
            Tags = DatadogCompatibility.WithoutIgnoredTags(map, map.StringList("tags") ?? []),
            Service = map.String("service") ?? init.Service,
            MinCollectionInterval = interval,
            Timeout = timeout,
            ConnectTimeout = writtenConnect ?? timeout,
            ReadTimeout = writtenRead ?? timeout,
            Headers = HeaderRules.Read(map, "headers"),
            ExtraHeaders = HeaderRules.Read(map, "extra_headers") ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            Username = map.String(Username),
            Password = map.Secret(Password),
            AuthToken = AuthTokenReader.Read(map),
            TlsVerify = map.Bool("tls_verify") ?? true,
            TlsCaCert = map.FilePath("tls_ca_cert"),
            TlsCert = map.FilePath(TlsCert),
            TlsPrivateKey = map.FilePath(TlsPrivateKey),
            ExtraMetrics = [.. MetricFilterReader.ReadExtraMetrics(map) ?? [], .. MetricFilterReader.ReadExtraMetrics(map, DatadogCompatibility.Metrics) ?? []],
            ExcludeMetrics = [.. MetricFilterReader.ReadExcludeMetrics(map) ?? [], .. excludeMetrics],
            IncludeMetrics = includeMetrics,
            ExcludeMetricsByLabels = MetricFilterReader.ReadExcludeMetricsByLabels(map)
                ?? new Dictionary<string, LabelValueFilter>(StringComparer.Ordinal),
            ExcludeLabels = map.StringList("exclude_labels") ?? [],
            IncludeLabels = map.StringList("include_labels") ?? [],
            RenameLabels = map.StringMap("rename_labels") ?? new Dictionary<string, string>(StringComparer.Ordinal),
            TagByEndpoint = map.Bool("tag_by_endpoint") ?? true,
            EnableHealthServiceCheck = map.Bool("enable_health_service_check") ?? true,
            IgnoreConnectionErrors = map.Bool("ignore_connection_errors") ?? false,
            RawMetricPrefix = map.String("raw_metric_prefix"),
            HostnameLabel = map.String("hostname_label"),
            UseLatestSpec = map.Bool("use_latest_spec") ?? false,
            OpenMetricsStrict = map.Bool("openmetrics_strict") ?? true,
            MaxResponseBytes = map.Integer(MaxResponseSize, 1, MaxResponseSizeLimit) ?? InstanceConfig.DefaultMaxResponseBytes,
            Proxy = ProxyConfigReader.Read(ctx, map.Get("proxy"), map.PathOf("proxy"), map.Position) ?? init.Proxy,
            SkipProxy = map.Bool("skip_proxy") ?? init.SkipProxy,
            AllowRedirects = map.Bool(DatadogCompatibility.AllowRedirects) ?? true,
            TlsProtocols = DatadogCompatibility.ReadTlsProtocols(map),
            TlsCiphers = DatadogCompatibility.ReadTlsCiphers(map),
            ExtendedMetrics = map.Bool("extended_metrics") ?? true,
            InfoTags = map.Bool("info_tags") ?? true,
            RuleTags = map.OneOf("rule_tags", RuleTagModes) ?? "fold",
            MaxRules = (int)(map.Integer("max_rules", 0, 1_000_000) ?? InstanceConfig.DefaultMaxRules),
            MaxLineBytes = (int)(map.Integer(MaxLineLength, 1, MaxResponseSizeLimit) ?? TextParserOptions.DefaultMaxLineBytes),
            MaxLabelsPerSeries = (int)(map.Integer(MaxLabelsPerSeries, 1, MaxLabelsLimit) ?? TextParserOptions.DefaultMaxLabelsPerSeries),
            MaxLabelNameBytes = (int)(map.Integer(MaxLabelNameLength, 1, MaxResponseSizeLimit) ?? TextParserOptions.DefaultMaxLabelNameBytes),
            MaxLabelValueBytes = (int)(map.Integer(MaxLabelValueLength, 1, MaxResponseSizeLimit) ?? TextParserOptions.DefaultMaxLabelValueBytes),
            MaxSeriesPerScrape = (int)(map.Integer(MaxSeriesPerScrape, 1, MaxCountLimit) ?? MappingOptions.DefaultMaxSeriesPerScrape),
            MaxCounterContexts = (int)(map.Integer(MaxCounterContexts, 1, MaxCountLimit) ?? CounterStateOptions.DefaultMaxContexts),
        };

        CheckAuthType(map);
        CheckPairs(map, result);
        DatadogCompatibility.WarnInsecure(map, result.TlsVerify);
        CheckOverlap(ctx, map, result, initTimeoutNode);
        return ctx.ErrorCount == errors && endpoint is not null ? result : null;
    }

    /// <summary>Only basic auth is implemented; Datadog's other types get a "not supported" message.</summary>
    private static void CheckAuthType(ConfigMapping map)
    {
        if (map.String(AuthType) is { } type && type != "basic")
        {
            map.Error(AuthType, type is "digest" or "ntlm" or "kerberos" or "aws"
                ? $"'{type}' is a Datadog option FalcoCheck does not support; FalcoCheck supports basic (username and password) and auth_token"
                : $"expected basic, got {ValueReader.Quote(type)}");
        }
    }

    private static void CheckPairs(ConfigMapping map, InstanceConfig instance)
    {
        // Datadog sends basic auth only when both are set; silently sending neither is a classic 401 mystery.
        if (map.Has(Username) != map.Has(Password))
        {
            string present = map.Has(Username) ? Username : Password;
            string missing = present == Username ? Password : Username;
            map.Error(present, $"{missing} is required when {present} is set");
        }

        if (map.Has(TlsPrivateKey) && !map.Has(TlsCert))
        {
            map.Error(TlsPrivateKey, $"{TlsCert} is required when {TlsPrivateKey} is set");
        }

        if (instance.AuthToken is { } token && map.Has(Username)
            && string.Equals(token.HeaderName, "Authorization", StringComparison.OrdinalIgnoreCase))
        {
            map.Error(AuthTokenReader.Key, "auth_token writes the Authorization header, which username and password also set; use one of them");
        }
    }

    /// <summary>
    /// A timeout longer than the interval would let a slow scrape overlap the next run of the same instance. Only
    /// values the user wrote are compared (defaults adapt, see <see cref="Read"/>), and the message names both places.
    /// </summary>
    private static void CheckOverlap(ConfigReadContext ctx, ConfigMapping map, InstanceConfig instance, YamlNode? initTimeoutNode)
    {
        if (!map.Has(Interval))
        {
            return;
        }

        string interval = Seconds(instance.MinCollectionInterval);
        SourcePosition intervalAt = ctx.At(map.Get(Interval)!);
        foreach ((string key, TimeSpan value) in new[] { (Timeout, instance.Timeout), (ConnectTimeout, instance.ConnectTimeout), (ReadTimeout, instance.ReadTimeout) })
        {
            if (value <= instance.MinCollectionInterval)
            {
                continue;
            }

            if (map.Has(key))
            {
                map.Error(key, $"{Seconds(value)} s is longer than {Interval} ({interval} s, at {intervalAt}); runs would overlap");
            }
            else if (key == Timeout && initTimeoutNode is not null)
            {
                map.Error(Interval, $"{interval} s is shorter than init_config.timeout ({Seconds(value)} s, at {ctx.At(initTimeoutNode)}); runs would overlap");
            }
        }
    }

    private static TimeSpan Longest(TimeSpan fallback, params ReadOnlySpan<TimeSpan?> written)
    {
        TimeSpan longest = fallback;
        foreach (TimeSpan? value in written)
        {
            if (value > longest)
            {
                longest = value.Value;
            }
        }

        return longest;
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
