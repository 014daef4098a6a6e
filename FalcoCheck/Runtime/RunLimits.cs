using System.Globalization;
using System.Text;
using FalcoCheck.Configuration;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Runtime;

/// <summary>
/// Gathers the limits one run reached, once each, for the health message and the summary. A hostile or broken
/// endpoint can make every line hit a limit; the report stays one short note per setting either way.
/// </summary>
internal static class RunLimits
{
    public static IReadOnlyList<LimitHit> Collect(ScrapeFacts facts, InstanceSettings settings, int countersRefused)
    {
        var hits = new List<LimitHit>();
        var parser = settings.Mapping.Parser;
        AddLines(hits, facts, ParseErrorReason.LineTooLong, InstanceConfigReader.MaxLineLength.Name, parser.MaxLineBytes);
        AddLines(hits, facts, ParseErrorReason.TooManyLabels, InstanceConfigReader.MaxLabelsPerSeries.Name, parser.MaxLabelsPerSeries);
        AddLines(hits, facts, ParseErrorReason.LabelNameTooLong, InstanceConfigReader.MaxLabelNameLength.Name, parser.MaxLabelNameBytes);
        AddLines(hits, facts, ParseErrorReason.LabelValueTooLong, InstanceConfigReader.MaxLabelValueLength.Name, parser.MaxLabelValueBytes);
        if (facts.SeriesOverLimit > 0)
        {
            hits.Add(new LimitHit(InstanceConfigReader.MaxSeriesPerScrape.Name, settings.Mapping.MaxSeriesPerScrape, facts.SeriesOverLimit, "series not submitted"));
        }

        if (countersRefused > 0)
        {
            hits.Add(new LimitHit(InstanceConfigReader.MaxCounterContexts.Name, settings.Counters.MaxContexts, countersRefused, "counters not counted"));
        }

        return hits;
    }

    /// <summary>"limits reached: max_labels_per_series (3): 2 lines skipped; max_counter_contexts (10): 5 counters not counted".</summary>
    public static string Describe(IReadOnlyList<LimitHit> hits)
    {
        var text = new StringBuilder("limits reached: ");
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            text.Append(i == 0 ? string.Empty : "; ")
                .Append(CultureInfo.InvariantCulture, $"{hit.Setting} ({hit.Limit}): {hit.Count} {hit.Refused}");
        }

        return text.ToString();
    }

    private static void AddLines(List<LimitHit> hits, ScrapeFacts facts, ParseErrorReason reason, string setting, int limit)
    {
        if (facts.LimitHits.TryGetValue(reason, out var count))
        {
            hits.Add(new LimitHit(setting, limit, count, "lines skipped"));
        }
    }
}
