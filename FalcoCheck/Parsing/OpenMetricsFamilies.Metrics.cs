using System.Runtime.InteropServices;

namespace FalcoCheck.Parsing;

/// <summary>
/// Metrics and MetricPoints (OpenMetrics 1.0, "Text format"): "Metrics MUST NOT be interleaved", "MetricPoints MUST
/// NOT be interleaved", and "If more than one MetricPoint is exposed for a Metric, then its MetricPoints MUST have
/// monotonically increasing timestamps". A Metric is the family's samples that share the labels other than the
/// point's own (<c>le</c> of histograms, <c>quantile</c> of summaries, the stateset's label named as the family); a
/// MetricPoint is a run of a Metric's samples with one timestamp (a timestamp, not the order of suffixes, is what
/// tells two points apart: each histogram point repeats its <c>+Inf</c> bucket, which the series rule lets through
/// only with a later timestamp). The Python reference parser (prometheus_client) groups samples the same way.
/// </summary>
internal sealed partial class OpenMetricsFamilies
{
    // The current Metric (its labels' span; start == end without labels) and its current point's timestamp.
    private bool _metricOpen;
    private int _metricLabelsStart;
    private int _metricLabelsEnd;
    private bool _pointHasTimestamp;
    private long _pointTimestamp;

    /// <summary>
    /// Settles which Metric and point the sample belongs to; <paramref name="newPoint"/> when it starts a point (a
    /// new Metric, or a later timestamp of the current one).
    /// </summary>
    private ParseErrorReason CheckMetric(ReadOnlySpan<byte> body, in SampleLayout s, ulong labelsHash, out bool newPoint, out int at)
    {
        at = s.NameStart;
        newPoint = true;
        int labelsStart = LabelsStart(s);
        int labelsEnd = LabelsEnd(s);
        ReadOnlySpan<byte> pointLabel = PointLabel(body);
        if (_metricOpen && SameMetric(body, _metricLabelsStart, _metricLabelsEnd, labelsStart, labelsEnd, pointLabel))
        {
            if (s.HasTimestamp != _pointHasTimestamp)
            {
                at = s.HasTimestamp ? s.TimestampStart : s.NameStart;
                return ParseErrorReason.MixedTimestamps;
            }

            if (!s.HasTimestamp || s.Timestamp == _pointTimestamp)
            {
                newPoint = false;
                return ParseErrorReason.None;
            }

            if (s.Timestamp < _pointTimestamp)
            {
                // "An incorrect example where MetricPoints are interleaved": _count 123, _count 456, _sum 123.
                at = s.TimestampStart;
                return ParseErrorReason.MetricPointInterleaved;
            }

            _pointTimestamp = s.Timestamp;
            return ParseErrorReason.None;
        }

        // Info samples are not told apart: the text cannot say which of their labels are the Metric's and which the
        // point's, so a Metric's points may differ in every label (the reference parser skips them too).
        if (_type != MetricType.Info)
        {
            ulong hash = (pointLabel.IsEmpty ? labelsHash : MetricHash(body, labelsStart, labelsEnd, pointLabel)) ^ ((ulong)_familyStart * FnvPrime);
            // One lookup: the slot is read, then overwritten with this Metric (a collision can only hide a return).
            ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_metrics, hash, out bool exists);
            if (exists && seen.FamilyStart == _familyStart && SameMetric(body, seen.LabelsStart, seen.LabelsEnd, labelsStart, labelsEnd, pointLabel))
            {
                return ParseErrorReason.MetricInterleaved;
            }

            seen = (_familyStart, labelsStart, labelsEnd);
        }

        (_metricOpen, _metricLabelsStart, _metricLabelsEnd) = (true, labelsStart, labelsEnd);
        (_pointHasTimestamp, _pointTimestamp) = (s.HasTimestamp, s.Timestamp);
        return ParseErrorReason.None;
    }

    /// <summary>Where the sample's labels start: just after <c>{</c> (or the end of the series without labels).</summary>
    private static int LabelsStart(in SampleLayout s) => s.LabelsStart < 0 ? s.SeriesEnd : s.LabelsStart;

    /// <summary>Where the sample's labels end: at <c>}</c> (or the end of the series without labels).</summary>
    private static int LabelsEnd(in SampleLayout s) => s.LabelsStart < 0 ? s.SeriesEnd : s.SeriesEnd - 1;

    /// <summary>The label that belongs to the point, not the Metric, in the current family's type; empty if none.</summary>
    private ReadOnlySpan<byte> PointLabel(ReadOnlySpan<byte> body) => _type switch
    {
        MetricType.Histogram or MetricType.GaugeHistogram => "le"u8,
        MetricType.Summary => "quantile"u8,
        MetricType.StateSet => Family(body),
        _ => default,
    };

    /// <summary>Whether two label spans (between the braces) hold the same labels, in the same order, but <paramref name="pointLabel"/>.</summary>
    private static bool SameMetric(ReadOnlySpan<byte> body, int aStart, int aEnd, int bStart, int bEnd, ReadOnlySpan<byte> pointLabel)
    {
        ReadOnlySpan<byte> a = body[aStart..aEnd];
        ReadOnlySpan<byte> b = body[bStart..bEnd];
        if (pointLabel.IsEmpty || a.IsEmpty || b.IsEmpty)
        {
            return a.SequenceEqual(b) || (!pointLabel.IsEmpty && OnlyPointLabel(a.IsEmpty ? body[bStart..(bEnd + 1)] : body[aStart..(aEnd + 1)], pointLabel));
        }

        // With the closing brace, which ends the scan.
        a = body[aStart..(aEnd + 1)];
        b = body[bStart..(bEnd + 1)];
        var cursorA = default(LabelCursor);
        var cursorB = default(LabelCursor);
        while (true)
        {
            bool hasA = NextMetricLabel(a, ref cursorA, pointLabel, out LabelBounds labelA);
            bool hasB = NextMetricLabel(b, ref cursorB, pointLabel, out LabelBounds labelB);
            if (!hasA || !hasB)
            {
                return hasA == hasB;
            }

            // Name, '=', and the quoted value.
            if (!a[labelA.NameStart..labelA.ValueEnd].SequenceEqual(b[labelB.NameStart..labelB.ValueEnd]))
            {
                return false;
            }
        }
    }

    /// <summary>Whether the label set (with its closing brace) has no label but <paramref name="pointLabel"/>.</summary>
    private static bool OnlyPointLabel(ReadOnlySpan<byte> labels, ReadOnlySpan<byte> pointLabel)
    {
        var cursor = default(LabelCursor);
        return !NextMetricLabel(labels, ref cursor, pointLabel, out _);
    }

    private static bool NextMetricLabel(ReadOnlySpan<byte> labels, ref LabelCursor cursor, ReadOnlySpan<byte> pointLabel, out LabelBounds label)
    {
        while (LabelScanner.Next(labels, ref cursor, out label, out _) == LabelScanStatus.Label)
        {
            if (!labels[label.NameStart..label.NameEnd].SequenceEqual(pointLabel))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Hash of the labels but <paramref name="pointLabel"/> (not empty): the samples of one Metric share it.</summary>
    private static ulong MetricHash(ReadOnlySpan<byte> body, int start, int end, ReadOnlySpan<byte> pointLabel)
    {
        if (start == end)
        {
            // As a set holding only the point's label: both are the Metric without labels.
            return FnvOffset;
        }

        ulong hash = FnvOffset;
        ReadOnlySpan<byte> labels = body[start..(end + 1)];
        var cursor = default(LabelCursor);
        while (NextMetricLabel(labels, ref cursor, pointLabel, out LabelBounds label))
        {
            // Name and value with their separators, so that {a="bc"} and {ab="c"} differ.
            hash = QuickHash(labels[label.NameStart..label.ValueEnd]) ^ (hash * FnvPrime);
        }

        return hash;
    }
}
