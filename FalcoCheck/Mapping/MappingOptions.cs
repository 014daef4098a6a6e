using System.Text.RegularExpressions;
using FalcoCheck.Parsing;

namespace FalcoCheck.Mapping;

/// <summary>
/// The instance's mapping settings, in Datadog OpenMetrics V2 meaning, compiled once per instance.
/// Name filters match the raw name after <see cref="RawMetricPrefix"/> is removed.
/// </summary>
internal sealed record MappingOptions
{
    /// <summary>Tags added to every series: the instance's tags, <c>endpoint:</c>, <c>service:</c>.</summary>
    public IReadOnlyList<string> InstanceTags { get; init; } = [];

    public IReadOnlyList<ExtraMetricRule> ExtraMetrics { get; init; } = [];

    public IReadOnlyList<Regex> ExcludeMetrics { get; init; } = [];

    /// <summary>When not empty, a raw name must match one of these to be sent (exclusions still win).</summary>
    public IReadOnlyList<Regex> IncludeMetrics { get; init; } = [];

    /// <summary>Label name → values that drop the series; a null set drops it for any value.</summary>
    public IReadOnlyDictionary<string, HashSet<string>?> ExcludeMetricsByLabels { get; init; } = new Dictionary<string, HashSet<string>?>();

    public IReadOnlySet<string> ExcludeLabels { get; init; } = new HashSet<string>();

    /// <summary>When not empty, only these labels become tags (exclude_labels still wins).</summary>
    public IReadOnlySet<string> IncludeLabels { get; init; } = new HashSet<string>();

    public IReadOnlyDictionary<string, string> RenameLabels { get; init; } = new Dictionary<string, string>();

    public string? RawMetricPrefix { get; init; }

    public string? HostnameLabel { get; init; }

    /// <summary>Send FalcoCheck's metrics beyond Datadog's documented list (newer series, jemalloc gauges, plugins).</summary>
    public bool ExtendedMetrics { get; init; } = true;

    /// <summary>Add <c>falco_version</c>, <c>kernel_release</c>, and the engine and event source where there is one, to every series.</summary>
    public bool InfoTags { get; init; } = true;

    public RuleTagMode RuleTags { get; init; } = RuleTagMode.Fold;

    /// <summary>Most distinct series kept in the cache; past it, series are mapped on every scrape (and counted).</summary>
    public int MaxCachedSeries { get; init; } = 100_000;

    /// <summary>
    /// Default of <see cref="MaxSeriesPerScrape"/>: Falco writes a few hundred series (a few thousand with many
    /// rules firing); as many as the series cache holds bounds the work and memory a hostile payload can cost.
    /// </summary>
    public const int DefaultMaxSeriesPerScrape = 100_000;

    /// <summary>Samples past this many in one payload are not mapped, only counted (<see cref="ScrapeFacts.SeriesOverLimit"/>).</summary>
    public int MaxSeriesPerScrape { get; init; } = DefaultMaxSeriesPerScrape;

    /// <summary>Line and label limits of the parser; lines that break them are counted in <see cref="ScrapeFacts.LimitHits"/>.</summary>
    public TextParserOptions Parser { get; init; } = TextParserOptions.Default;

    /// <summary>Builds the exclude_metrics rule: an exact name, or a regular expression.</summary>
    public static Regex CompilePattern(string pattern) =>
        new(IsPlainName(pattern) ? "^" + Regex.Escape(pattern) + "$" : pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>True when the text has no regular-expression syntax: it then names one metric exactly.</summary>
    public static bool IsPlainName(string pattern)
    {
        foreach (var c in pattern)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':'))
            {
                return false;
            }
        }

        return true;
    }
}
