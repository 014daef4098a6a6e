using System.Globalization;
using System.Text;
using FalcoCheck.Mapping;

namespace FalcoCheck.Sinks;

/// <summary>Human-readable listing in the spirit of <c>datadog-agent check</c>: series, then service checks.</summary>
internal static class TableEncoder
{
    public static void Write(Submission submission, TextWriter output)
    {
        var text = new StringBuilder();
        text.Append("=== Series (").Append(submission.Metrics.Count).Append(") — ").Append(submission.Instance).Append(" ===\n");
        foreach (var point in submission.Metrics)
        {
            text.Append("  ").Append(point.Name)
                .Append("  ").Append(point.Kind == MetricKind.MonotonicCount ? "count" : "gauge")
                .Append("  ").Append(point.Value.ToString("R", CultureInfo.InvariantCulture));
            if (point.Kind == MetricKind.MonotonicCount)
            {
                text.Append("  interval:").Append(point.IntervalSeconds).Append('s');
            }

            text.Append("  host:").Append(point.Host).Append("  [").AppendJoin(", ", point.Tags).Append("]\n");
        }

        text.Append("=== Service Checks (").Append(submission.ServiceChecks.Count).Append(") ===\n");
        foreach (var check in submission.ServiceChecks)
        {
            text.Append("  ").Append(check.Name).Append("  ").Append(JsonLinesEncoder.StatusName(check.Status).ToUpperInvariant())
                .Append("  host:").Append(check.Host).Append("  [").AppendJoin(", ", check.Tags).Append(']');
            if (check.Message.Length > 0)
            {
                text.Append("  ").Append(check.Message);
            }

            text.Append('\n');
        }

        if (submission.Events.Count > 0)
        {
            text.Append("=== Events (").Append(submission.Events.Count).Append(") ===\n");
            foreach (var falcoEvent in submission.Events)
            {
                text.Append("  ").Append(falcoEvent.Name).Append("  ").Append(falcoEvent.Title).Append("  host:").Append(falcoEvent.Host).Append('\n');
            }
        }

        output.Write(text.ToString());
    }
}
