using FalcoCheck.Sinks;

namespace FalcoCheck.Mapping;

/// <summary>
/// Caps the number of distinct rules sent (max_rules): the first rules seen keep their own contexts, matches of
/// any further rule are summed under <c>rule_name:other</c>, so a rule explosion cannot explode the bill.
/// One per instance: the admitted rules stay admitted.
/// </summary>
internal sealed class RuleCap(int maxRules)
{
    /// <summary>The rule matches' metric name: the one series the cap applies to.</summary>
    public const string MatchesName = FalcoMetricTable.RulesMatches;

    /// <summary>The <c>rule_name</c> the matches of rules past the cap are summed under.</summary>
    public const string OtherRule = "other";
    private readonly HashSet<string> _admitted = new(StringComparer.Ordinal);

    /// <summary>Rules whose matches went to <c>rule_name:other</c> in the last run.</summary>
    public int Capped { get; private set; }

    public void Apply(List<MetricPoint> points, string[] baseTags)
    {
        Capped = 0;
        if (maxRules <= 0)
        {
            return;
        }

        double other = 0;
        MetricPoint? template = null;
        // Rules are admitted in the order Falco lists them, and stay admitted.
        var kept = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point.Name == MatchesName && RuleOf(point.Tags) is { } rule &&
                !_admitted.Contains(rule) && !(_admitted.Count < maxRules && _admitted.Add(rule)))
            {
                Capped++;
                other += point.Value;
                template = point;
                continue;
            }

            points[kept++] = point;
        }

        points.RemoveRange(kept, points.Count - kept);

        if (template is { } t)
        {
            points.Add(t with { Value = other, Tags = ["rule_name:" + OtherRule, .. baseTags] });
        }
    }

    private static string? RuleOf(string[] tags)
    {
        foreach (var tag in tags)
        {
            if (tag.StartsWith("rule_name:", StringComparison.Ordinal))
            {
                return tag;
            }
        }

        return null;
    }
}
