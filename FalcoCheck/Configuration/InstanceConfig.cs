using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Configuration;

/// <summary>
/// One entry of <c>instances:</c>, with init_config defaults already applied (timeout, service, proxy). Option
/// names and meanings follow Datadog's OpenMetrics V2 (conf.yaml.example); FalcoCheck's own additions are
/// <c>max_response_size</c> and the other limits (<c>max_line_length</c> … <c>max_counter_contexts</c>).
/// </summary>
internal sealed record InstanceConfig
{
    /// <summary>Datadog's <c>min_collection_interval</c> default (conf.yaml.example: "default: 15").</summary>
    public static readonly TimeSpan DefaultMinCollectionInterval = TimeSpan.FromSeconds(15);

    /// <summary>64 MiB: Falco's full metrics page is tens of KiB; this only stops a runaway or wrong endpoint.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>Position of the instance in <c>instances:</c>, from 0.</summary>
    public required int Index { get; init; }

    public required SourcePosition Position { get; init; }

    /// <summary>May carry user-info or a query: print <see cref="Name"/>, never this.</summary>
    public required Uri OpenMetricsEndpoint { get; init; }

    /// <summary>The endpoint as it may be printed and tagged: scheme, host, port, path.</summary>
    public string Name => EndpointRedactor.Redact(OpenMetricsEndpoint);

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Service { get; init; }

    public TimeSpan MinCollectionInterval { get; init; } = DefaultMinCollectionInterval;

    public TimeSpan Timeout { get; init; } = InitConfig.DefaultTimeout;

    public TimeSpan ConnectTimeout { get; init; } = InitConfig.DefaultTimeout;

    public TimeSpan ReadTimeout { get; init; } = InitConfig.DefaultTimeout;

    /// <summary><c>headers</c>: when set, replaces the default request headers entirely (Datadog's meaning).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public IReadOnlyDictionary<string, string> ExtraHeaders { get; init; } = EmptyMap;

    public string? Username { get; init; }

    public Secret? Password { get; init; }

    public AuthTokenConfig? AuthToken { get; init; }

    public bool TlsVerify { get; init; } = true;

    public string? TlsCaCert { get; init; }

    public string? TlsCert { get; init; }

    public string? TlsPrivateKey { get; init; }

    public IReadOnlyList<ExtraMetric> ExtraMetrics { get; init; } = [];

    /// <summary>Exact names or regular expressions (each already checked to compile).</summary>
    public IReadOnlyList<string> ExcludeMetrics { get; init; } = [];

    /// <summary><c>metric_patterns.include</c>: when not empty, only raw names matching one of them are sent.</summary>
    public IReadOnlyList<string> IncludeMetrics { get; init; } = [];

    public IReadOnlyDictionary<string, LabelValueFilter> ExcludeMetricsByLabels { get; init; } =
        new Dictionary<string, LabelValueFilter>(StringComparer.Ordinal);

    public IReadOnlyList<string> ExcludeLabels { get; init; } = [];

    public IReadOnlyList<string> IncludeLabels { get; init; } = [];

    public IReadOnlyDictionary<string, string> RenameLabels { get; init; } = EmptyMap;

    public bool TagByEndpoint { get; init; } = true;

    public bool EnableHealthServiceCheck { get; init; } = true;

    public bool IgnoreConnectionErrors { get; init; }

    public string? RawMetricPrefix { get; init; }

    public string? HostnameLabel { get; init; }

    /// <summary>True asks for OpenMetrics 1.0 text instead of Prometheus text 0.0.4.</summary>
    public bool UseLatestSpec { get; init; }

    /// <summary><c>openmetrics_strict</c>: an OpenMetrics body that breaks the 1.0 specification fails the scrape.</summary>
    public bool OpenMetricsStrict { get; init; } = true;

    /// <summary><c>max_response_size</c>, in bytes: a larger body fails the scrape.</summary>
    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary><c>max_line_length</c>, in bytes: a longer payload line is skipped and counted.</summary>
    public int MaxLineBytes { get; init; } = TextParserOptions.DefaultMaxLineBytes;

    /// <summary><c>max_labels_per_series</c>: a sample with more labels is skipped and counted.</summary>
    public int MaxLabelsPerSeries { get; init; } = TextParserOptions.DefaultMaxLabelsPerSeries;

    /// <summary><c>max_label_name_length</c>, in bytes.</summary>
    public int MaxLabelNameBytes { get; init; } = TextParserOptions.DefaultMaxLabelNameBytes;

    /// <summary><c>max_label_value_length</c>, in bytes as written (before unescaping).</summary>
    public int MaxLabelValueBytes { get; init; } = TextParserOptions.DefaultMaxLabelValueBytes;

    /// <summary><c>max_series_per_scrape</c>: samples past this many in one payload are not submitted, and counted.</summary>
    public int MaxSeriesPerScrape { get; init; } = MappingOptions.DefaultMaxSeriesPerScrape;

    /// <summary><c>max_counter_contexts</c>: distinct counters kept for counts; new ones past it are not counted.</summary>
    public int MaxCounterContexts { get; init; } = CounterStateOptions.DefaultMaxContexts;

    /// <summary>The instance's <c>proxy</c>, else init_config's.</summary>
    public Scraping.OutboundProxy? Proxy { get; init; }

    public bool SkipProxy { get; init; }

    /// <summary><c>allow_redirects</c>: follow the endpoint's HTTP redirects (Datadog's default, true).</summary>
    public bool AllowRedirects { get; init; } = true;

    /// <summary><c>tls_protocols_allowed</c>; None lets the system choose (TLS 1.2 and 1.3).</summary>
    public System.Security.Authentication.SslProtocols TlsProtocols { get; init; }

    /// <summary><c>tls_ciphers</c>; null (or ALL) keeps the system's cipher suites.</summary>
    public IReadOnlyList<System.Net.Security.TlsCipherSuite>? TlsCiphers { get; init; }

    /// <summary>Default cap on distinct rules per interval: above it, matches are summed under rule_name:other.</summary>
    public const int DefaultMaxRules = 500;

    /// <summary>FalcoCheck's metrics beyond Datadog's documented list (newer Falco series, derived signals).</summary>
    public bool ExtendedMetrics { get; init; } = true;

    /// <summary>Falco version, kernel release, engine and event source as tags on every series.</summary>
    public bool InfoTags { get; init; } = true;

    /// <summary>fold, labels or drop: what becomes of Falco's <c>tag_&lt;x&gt;</c> rule labels.</summary>
    public string RuleTags { get; init; } = "fold";

    /// <summary>Most distinct rules per interval; 0 for no cap.</summary>
    public int MaxRules { get; init; } = DefaultMaxRules;

    private static IReadOnlyDictionary<string, string> EmptyMap { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    // The generated ToString would print the raw endpoint (user-info, query). Thirty-odd members are also more
    // than a log line wants: identify the instance instead.
    public override string ToString() => $"InstanceConfig {{ Index = {Index}, Name = {Name}, Position = {Position} }}";
}
