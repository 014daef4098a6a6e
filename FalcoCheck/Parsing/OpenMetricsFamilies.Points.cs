namespace FalcoCheck.Parsing;

/// <summary>
/// Per-type value rules, and the histogram point (its buckets, count and sum: a run of one Metric's samples with one
/// timestamp, see <see cref="CheckMetric"/>) whose rules can only be settled when the point ends.
/// </summary>
internal sealed partial class OpenMetricsFamilies
{
    private bool _pointOpen;
    private int _buckets;
    private double _lastLe;
    private double _lastBucket;
    private bool _hasInf;
    private double _infValue;
    private bool _negativeLe;
    private bool _hasCount;
    private double _count;
    private bool _hasSum;
    private LineRef _pointLine;
    private LineRef _countLine;
    private LineRef _sumLine;

    private ParseErrorReason CheckPoint(ReadOnlySpan<byte> body, LineRef line, in SampleLayout s, MetricSuffix suffix, bool newPoint, out int at)
    {
        at = s.ValueStart;
        double value = s.Value;
        switch (_type)
        {
            case MetricType.Counter when suffix == MetricSuffix.Total && (double.IsNaN(value) || value < 0):
                return ParseErrorReason.InvalidCounterValue;
            case MetricType.StateSet:
                if (value is not (0 or 1))
                {
                    return ParseErrorReason.InvalidStateSetValue;
                }

                // "Each State's sample MUST have a label with the MetricFamily name as the label name."
                at = s.NameEnd;
                return FindLabel(body, s, Family(body), out _, out _) ? ParseErrorReason.None : ParseErrorReason.MissingStateLabel;
            case MetricType.Info when value != 1:
                return ParseErrorReason.InvalidInfoValue;
            case MetricType.Histogram or MetricType.GaugeHistogram:
                return CheckHistogram(body, line, s, suffix, newPoint, out at);
            case MetricType.Summary:
                return CheckSummary(body, s, suffix, out at);
            default:
                return ParseErrorReason.None;
        }
    }

    private ParseErrorReason CheckHistogram(ReadOnlySpan<byte> body, LineRef line, in SampleLayout s, MetricSuffix suffix, bool newPoint, out int at)
    {
        bool gauge = _type == MetricType.GaugeHistogram;
        bool hasLe = FindLabel(body, s, "le"u8, out int leStart, out int leEnd);
        if (!_pointOpen || newPoint)
        {
            ParseErrorReason finished = FinishPoint(out at);
            if (finished != ParseErrorReason.None)
            {
                return finished;
            }

            _pointOpen = true;
        }

        ErrorLine = line;
        _pointLine = line;
        double value = s.Value;
        at = s.ValueStart;
        if (suffix == MetricSuffix.Created)
        {
            return hasLe ? Reserved(leStart, out at) : ParseErrorReason.None;
        }

        if (suffix != MetricSuffix.Bucket)
        {
            if (hasLe)
            {
                return Reserved(leStart, out at);
            }

            bool isCount = suffix is MetricSuffix.Count or MetricSuffix.GCount;
            // Histogram sums are counters (never NaN or negative); a gaugehistogram's gsum only never NaN.
            if (double.IsNaN(value) || (value < 0 && (isCount || !gauge)) || (isCount && Math.Floor(value) != value))
            {
                return ParseErrorReason.InvalidBucketValue;
            }

            if (isCount)
            {
                (_hasCount, _count, _countLine) = (true, value, line);
                return _hasInf && value != _infValue ? ParseErrorReason.CountMismatch : ParseErrorReason.None;
            }

            (_hasSum, _sumLine) = (true, line);
            at = s.NameStart;
            return _negativeLe && !gauge ? ParseErrorReason.SumWithNegativeBuckets : ParseErrorReason.None;
        }

        at = s.NameEnd;
        if (!hasLe)
        {
            return ParseErrorReason.MissingBucketLabel;
        }

        at = leStart;
        if (!TextParser.TryParseValue(body[leStart..leEnd], out double le, out _, out _) || double.IsNaN(le))
        {
            return ParseErrorReason.InvalidBucketLabel;
        }

        if (_buckets > 0 && le <= _lastLe)
        {
            return ParseErrorReason.BucketsNotAscending;
        }

        at = s.ValueStart;
        if (double.IsNaN(value) || value < 0 || Math.Floor(value) != value)
        {
            return ParseErrorReason.InvalidBucketValue;
        }

        if (_buckets > 0 && value < _lastBucket)
        {
            return ParseErrorReason.BucketsNotCumulative;
        }

        (_buckets, _lastLe, _lastBucket) = (_buckets + 1, le, value);
        if (le < 0)
        {
            _negativeLe = true;
            if (_hasSum && !gauge)
            {
                ErrorLine = _sumLine;
                at = _sumLine.Start;
                return ParseErrorReason.SumWithNegativeBuckets;
            }
        }

        if (double.IsPositiveInfinity(le))
        {
            (_hasInf, _infValue) = (true, value);
            if (_hasCount && _count != value)
            {
                ErrorLine = _countLine;
                at = _countLine.Start;
                return ParseErrorReason.CountMismatch;
            }
        }

        return ParseErrorReason.None;
    }

    private ParseErrorReason CheckSummary(ReadOnlySpan<byte> body, in SampleLayout s, MetricSuffix suffix, out int at)
    {
        bool hasQuantile = FindLabel(body, s, "quantile"u8, out int start, out int end);
        double value = s.Value;
        if (suffix != MetricSuffix.None)
        {
            at = s.ValueStart;
            if (hasQuantile)
            {
                return Reserved(start, out at);
            }

            // "Count and Sum values are counters so MUST NOT be NaN or negative. Count MUST be an integer."
            return suffix is MetricSuffix.Count or MetricSuffix.Sum
                && (double.IsNaN(value) || value < 0 || (suffix == MetricSuffix.Count && Math.Floor(value) != value))
                ? ParseErrorReason.InvalidSummaryValue
                : ParseErrorReason.None;
        }

        at = hasQuantile ? start : s.NameEnd;
        if (!hasQuantile || !TextParser.TryParseValue(body[start..end], out double quantile, out _, out _) || quantile is not (>= 0 and <= 1))
        {
            return ParseErrorReason.InvalidQuantile;
        }

        // "Quantile values MUST NOT be negative"; NaN means no events in the timeframe.
        at = s.ValueStart;
        return value < 0 ? ParseErrorReason.InvalidQuantile : ParseErrorReason.None;
    }

    /// <summary>Rules settled when a histogram point ends (another point, another family, or the end of the body).</summary>
    private ParseErrorReason FinishPoint(out int at)
    {
        at = 0;
        if (!_pointOpen)
        {
            return ParseErrorReason.None;
        }

        bool hasInf = _hasInf;
        bool hasSum = _hasSum;
        bool hasCount = _hasCount;
        LineRef last = _pointLine;
        LineRef sum = _sumLine;
        LineRef count = _countLine;
        ResetPoint();
        if (!hasInf)
        {
            // "Histogram MetricPoints MUST have one bucket with an +Inf threshold."
            (ErrorLine, at) = (last, last.Start);
            return ParseErrorReason.MissingInfBucket;
        }

        if (hasSum != hasCount)
        {
            // "If and only if a Sum Value is present ... the +Inf Bucket value MUST also appear ... _count."
            LineRef where = hasSum ? sum : count;
            (ErrorLine, at) = (where, where.Start);
            return ParseErrorReason.SumCountPairing;
        }

        return ParseErrorReason.None;
    }

    private void ResetPoint()
    {
        (_pointOpen, _buckets, _lastLe, _lastBucket) = (false, 0, 0, 0);
        (_hasInf, _infValue, _negativeLe, _hasCount, _count, _hasSum) = (false, 0, false, false, 0, false);
    }

    private static ParseErrorReason Reserved(int labelValueStart, out int at)
    {
        at = labelValueStart;
        return ParseErrorReason.ReservedLabel;
    }

    /// <summary>Finds label <paramref name="name"/>; its raw value is <c>body[valueStart..valueEnd]</c>.</summary>
    private static bool FindLabel(ReadOnlySpan<byte> body, in SampleLayout s, ReadOnlySpan<byte> name, out int valueStart, out int valueEnd)
    {
        (valueStart, valueEnd) = (0, 0);
        if (s.LabelsStart < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = body[s.LabelsStart..s.LineEnd];
        var cursor = default(LabelCursor);
        while (LabelScanner.Next(rest, ref cursor, out LabelBounds label, out _) == LabelScanStatus.Label)
        {
            if (rest[label.NameStart..label.NameEnd].SequenceEqual(name))
            {
                (valueStart, valueEnd) = (s.LabelsStart + label.ValueStart, s.LabelsStart + label.ValueEnd);
                return true;
            }
        }

        return false;
    }
}
