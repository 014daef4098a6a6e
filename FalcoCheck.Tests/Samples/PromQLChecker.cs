using System.Text.RegularExpressions;
using FalcoCheck.Mapping;
using FalcoCheck.Sinks;

namespace FalcoCheck.Tests.Samples;

/// <summary>
/// Lists what a PromQL expression names that FalcoCheck's <c>prometheus_remote_write</c> sink never writes: metric
/// names (as <see cref="PrometheusNames"/> makes them) and label names (the tags FalcoCheck sets, plus host).
/// </summary>
internal static partial class PromQLChecker
{
    public static HashSet<string> MetricNames(EmittedCatalog catalog) =>
        catalog.Metrics.Select(m => PrometheusNames.MetricName(m.Key, m.Value)).ToHashSet(StringComparer.Ordinal);

    public static HashSet<string> LabelNames(EmittedCatalog catalog) =>
        catalog.TagKeys.Select(PrometheusNames.LabelName).ToHashSet(StringComparer.Ordinal);

    public static List<string> Check(string expression, EmittedCatalog catalog)
    {
        var problems = new List<string>();
        var metrics = MetricNames(catalog);
        var labels = LabelNames(catalog);
        var rest = expression;

        // Label lists of aggregations: by (a, b) / without (a).
        foreach (Match grouping in Grouping().Matches(rest))
        {
            foreach (var label in grouping.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Expect(labels.Contains(label), $"label '{label}' in '{expression}' is not one FalcoCheck writes", problems);
            }
        }

        rest = Grouping().Replace(rest, " ");
        foreach (Match matcher in Matchers().Matches(rest))
        {
            foreach (Match label in LabelMatcher().Matches(matcher.Value))
            {
                Expect(labels.Contains(label.Groups[1].Value), $"label '{label.Groups[1].Value}' in '{expression}' is not one FalcoCheck writes", problems);
            }
        }

        rest = Matchers().Replace(rest, " ");
        var named = MetricToken().Matches(rest).Select(m => m.Value).ToList();
        Expect(named.Count > 0, $"no falco metric in '{expression}'", problems);
        foreach (var metric in named)
        {
            Expect(metrics.Contains(metric), $"metric '{metric}' in '{expression}' is never written by FalcoCheck", problems);
            var counter = metric.EndsWith("_total", StringComparison.Ordinal);
            var usesRate = RateOf(metric).IsMatch(expression);
            Expect(!counter || usesRate, $"counter '{metric}' must be read through rate() or increase() in '{expression}'", problems);
            Expect(counter || !usesRate, $"gauge '{metric}' read through rate()/increase() in '{expression}'", problems);
        }

        return problems;
    }

    private static Regex RateOf(string metric) => new(@"(?:rate|increase|irate)\(\s*" + Regex.Escape(metric) + @"\b");

    private static void Expect(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    [GeneratedRegex(@"\b(?:by|without)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex LabelMatcher();

    [GeneratedRegex(@"\bfalco_[a-zA-Z0-9_]+\b")]
    private static partial Regex MetricToken();
}
