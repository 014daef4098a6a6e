using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Configuration;

/// <summary>
/// One entry of <c>instances:</c>, with init_config defaults already applied (timeout, service, proxy). Each
/// property is the option of the same name, declared (name, default, bounds, meaning) in
/// <see cref="InstanceConfigReader"/>'s table; sizes are in bytes (<c>max_line_length</c> → <c>MaxLineBytes</c>).
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

    public IReadOnlyList<string> ExcludeMetrics { get; init; } = [];

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

    public bool UseLatestSpec { get; init; }

    public bool OpenMetricsStrict { get; init; } = true;

    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    public int MaxLineBytes { get; init; } = TextParserOptions.DefaultMaxLineBytes;

    public int MaxLabelsPerSeries { get; init; } = TextParserOptions.DefaultMaxLabelsPerSeries;

    public int MaxLabelNameBytes { get; init; } = TextParserOptions.DefaultMaxLabelNameBytes;

    public int MaxLabelValueBytes { get; init; } = TextParserOptions.DefaultMaxLabelValueBytes;

    public int MaxSeriesPerScrape { get; init; } = MappingOptions.DefaultMaxSeriesPerScrape;

    public int MaxCounterContexts { get; init; } = CounterStateOptions.DefaultMaxContexts;

    public Scraping.OutboundProxy? Proxy { get; init; }

    public bool SkipProxy { get; init; }

    public bool AllowRedirects { get; init; } = true;

    public System.Security.Authentication.SslProtocols TlsProtocols { get; init; }

    public IReadOnlyList<System.Net.Security.TlsCipherSuite>? TlsCiphers { get; init; }

    /// <summary>Default cap on distinct rules per interval: above it, matches are summed under rule_name:other.</summary>
    public const int DefaultMaxRules = 500;

    public bool ExtendedMetrics { get; init; } = true;

    public bool InfoTags { get; init; } = true;

    public string RuleTags { get; init; } = "fold";

    public int MaxRules { get; init; } = DefaultMaxRules;

    private static IReadOnlyDictionary<string, string> EmptyMap { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    // The generated ToString would print the raw endpoint (user-info, query). Thirty-odd members are also more
    // than a log line wants: identify the instance instead.
    public override string ToString() => $"InstanceConfig {{ Index = {Index}, Name = {Name}, Position = {Position} }}";
}
