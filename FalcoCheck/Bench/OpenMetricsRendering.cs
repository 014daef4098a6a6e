using System.Globalization;
using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Bench;

/// <summary>
/// Renders a Prometheus text payload as conformant OpenMetrics 1.0 for the OpenMetrics parse stages: each family once
/// and contiguous (TYPE, HELP, then its samples), counters as <c>name_total</c>, repeated series dropped, quotes in
/// HELP and label values escaped, <c># EOF</c> last. Runs once before timing; never on a scrape.
/// </summary>
internal static class OpenMetricsRendering
{
    public static byte[] From(byte[] prometheusBody)
    {
        var families = new Dictionary<string, (string Type, string? Help, StringBuilder Samples)>(StringComparer.Ordinal);
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var types = new Dictionary<string, MetricType>(StringComparer.Ordinal);
        var parser = new TextParser(prometheusBody);
        while (parser.Read())
        {
            switch (parser.Kind)
            {
                case EntryKind.Help:
                    helps[Encoding.UTF8.GetString(parser.MetricName)] = Encoding.UTF8.GetString(parser.HelpText);
                    break;
                case EntryKind.Type:
                    types[Encoding.UTF8.GetString(parser.MetricName)] = parser.Type;
                    break;
                case EntryKind.Sample:
                    var name = Encoding.UTF8.GetString(parser.MetricName);
                    var type = types.GetValueOrDefault(name, MetricType.Unknown);
                    var counter = type == MetricType.Counter;
                    var family = counter && name.EndsWith("_total", StringComparison.Ordinal) ? name[..^"_total".Length] : name;
                    var sample = new StringBuilder(counter ? family + "_total" : family);
                    var labels = new List<string>();
                    foreach (var label in parser.Labels)
                    {
                        labels.Add($"{Encoding.UTF8.GetString(label.Name)}=\"{Escape(TextParser.UnescapeLabelValue(label.Value))}\"");
                    }

                    if (labels.Count > 0)
                    {
                        sample.Append('{').AppendJoin(',', labels).Append('}');
                    }

                    if (!seen.Add(sample.ToString()))
                    {
                        continue;
                    }

                    var value = parser.TryGetExactInteger(out var exact)
                        ? exact.ToString(CultureInfo.InvariantCulture)
                        : parser.Value.ToString("R", CultureInfo.InvariantCulture);
                    if (!families.TryGetValue(family, out var entry))
                    {
                        entry = (counter ? "counter" : type == MetricType.Gauge ? "gauge" : "unknown", helps.GetValueOrDefault(name), new StringBuilder());
                        families[family] = entry;
                        order.Add(family);
                    }

                    entry.Samples.Append(sample).Append(' ').Append(value).Append('\n');
                    break;
            }
        }

        var text = new StringBuilder();
        foreach (var family in order)
        {
            var (type, help, samples) = families[family];
            text.Append("# TYPE ").Append(family).Append(' ').Append(type).Append('\n');
            if (help is not null)
            {
                text.Append("# HELP ").Append(family).Append(' ').Append(Escape(help.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal))).Append('\n');
            }

            text.Append(samples);
        }

        var body = Encoding.UTF8.GetBytes(text.Append("# EOF\n").ToString());
        var check = new TextParser(body, TextFormat.OpenMetrics, new TextParserOptions { StrictOpenMetrics = true });
        while (check.Read())
        {
            if (check.Kind == EntryKind.Invalid)
            {
                throw new InvalidOperationException("the OpenMetrics rendering is not conformant: " + check.Error.Message);
            }
        }

        return body;
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
