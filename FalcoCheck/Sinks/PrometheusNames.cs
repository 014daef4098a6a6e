using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FalcoCheck.Mapping;

namespace FalcoCheck.Sinks;

/// <summary>
/// falco.* names and tags in Prometheus terms, for remote write and OTLP: metric names with dots (and anything
/// outside <c>[a-zA-Z0-9_:]</c>) as underscores, counters cumulative under a <c>_total</c> name in place of the
/// <c>.count</c> suffix (<c>falco.rules.matches.count</c> → <c>falco_rules_matches_total</c>), tags
/// <c>key:value</c> as labels (data model: https://prometheus.io/docs/concepts/data_model/).
/// </summary>
internal static class PrometheusNames
{
    /// <summary>The value of a label made from a tag without ':' (Datadog allows bare tags; Prometheus needs a value).</summary>
    public const string BareTagValue = "true";

    private const string CountSuffix = ".count";

    private static readonly ConcurrentDictionary<(string Name, MetricKind Kind), string> MetricNames = new();
    private static readonly ConditionalWeakTable<string[], KeyValuePair<string, string>[]> LabelCache = new();

    public static string MetricName(string name, MetricKind kind) =>
        MetricNames.GetOrAdd((name, kind), static key =>
        {
            string baseName = key.Kind == MetricKind.MonotonicCount && key.Name.EndsWith(CountSuffix, StringComparison.Ordinal)
                ? key.Name[..^CountSuffix.Length]
                : key.Name;
            string clean = Sanitize(baseName, allowColon: true);
            return key.Kind == MetricKind.MonotonicCount ? clean + "_total" : clean;
        });

    /// <summary>
    /// The labels of a tag list, sorted by name (byte order) with unique names: a key given twice keeps its values
    /// joined with ',' in tag order. Cached per tag array (a series keeps its array).
    /// </summary>
    public static KeyValuePair<string, string>[] Labels(string[] tags) => LabelCache.GetValue(tags, static t => BuildLabels(t));

    /// <summary>A label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>; a leading digit gets a '_' in front, and a leading <c>__</c> (reserved) becomes one '_'.</summary>
    public static string LabelName(string key)
    {
        string clean = Sanitize(key, allowColon: false);
        return clean.StartsWith("__", StringComparison.Ordinal) ? clean.TrimStart('_').Insert(0, "_") : clean;
    }

    private static KeyValuePair<string, string>[] BuildLabels(string[] tags)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            int colon = tag.IndexOf(':', StringComparison.Ordinal);
            string name = LabelName(colon < 0 ? tag : tag[..colon]);
            string value = colon < 0 ? BareTagValue : tag[(colon + 1)..];
            if (name.Length == 0 || value.Length == 0)
            {
                continue; // Prometheus drops empty label values; an empty name is not a label.
            }

            labels[name] = labels.TryGetValue(name, out var previous) ? previous + "," + value : value;
        }

        return [.. labels];
    }

    private static string Sanitize(string text, bool allowColon)
    {
        if (text.Length == 0)
        {
            return text;
        }

        return string.Create(text.Length + (char.IsAsciiDigit(text[0]) ? 1 : 0), (text, allowColon), static (span, state) =>
        {
            var (source, colon) = state;
            int offset = 0;
            if (char.IsAsciiDigit(source[0]))
            {
                span[0] = '_';
                offset = 1;
            }

            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i + offset] = char.IsAsciiLetterOrDigit(c) || c == '_' || (colon && c == ':') ? c : '_';
            }
        });
    }
}
