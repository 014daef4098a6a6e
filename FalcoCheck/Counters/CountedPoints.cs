using FalcoCheck.Mapping;
using FalcoCheck.Sinks;

namespace FalcoCheck.Counters;

/// <summary>
/// The Counters stage of one run: the mapper's samples become the points to submit, each counter as its increase
/// since the previous run (<see cref="CounterState.TryGetDelta"/>; a first sight sets a baseline and sends nothing).
/// NaN and infinities are counted, not sent: backends reject them.
/// </summary>
internal static class CountedPoints
{
    /// <param name="notFinite">Samples left out for a value that is not finite.</param>
    public static List<MetricPoint> Build(IReadOnlyList<MappedSample> samples, ScrapeFacts facts, CounterState counters,
        long timestamp, int intervalSeconds, string host, out int notFinite)
    {
        var points = new List<MetricPoint>(samples.Count);
        long startTimeUnixNano = Math.Max(facts.StartTimestampNs ?? 0, facts.ReloadTimestampNs ?? 0);
        notFinite = 0;
        foreach (var sample in samples)
        {
            if (!double.IsFinite(sample.Value))
            {
                notFinite++;
                continue;
            }

            var context = sample.Context;
            var value = sample.Value;
            if (context.Kind == MetricKind.MonotonicCount && !counters.TryGetDelta(context, value, out value))
            {
                continue;
            }

            points.Add(new MetricPoint(context.Name, context.Kind, value, timestamp, intervalSeconds, context.Host ?? host, context.Tags, context.Unit)
            {
                Cumulative = context.Kind == MetricKind.MonotonicCount ? sample.Value : null,
                StartTimeUnixNano = startTimeUnixNano,
            });
        }

        return points;
    }
}
