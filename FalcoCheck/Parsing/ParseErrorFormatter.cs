using System.Globalization;
using System.Text;

namespace FalcoCheck.Parsing;

/// <summary>Builds <see cref="ParseError"/> messages: what, the quoted fragment, then "line L, column C".</summary>
internal static class ParseErrorFormatter
{
    // Long enough to recognise a token, short enough for one log line.
    private const int MaxFragmentBytes = 48;

    /// <summary>
    /// Creates the error for byte offset <paramref name="at"/> (0-based) of <paramref name="line"/>. The fragment is
    /// the blank-separated token holding that byte (or the one before it when the byte is a blank or the end of the
    /// line), cut to <see cref="MaxFragmentBytes"/> around the byte.
    /// </summary>
    public static ParseError Create(ParseErrorReason reason, ReadOnlySpan<byte> line, int at, int lineNumber)
    {
        int column = at + 1;
        var message = new StringBuilder(Describe(reason));
        if (!line.IsEmpty)
        {
            message.Append(": ");
            AppendFragment(message, line, Math.Min(at, line.Length));
        }

        message.Append(CultureInfo.InvariantCulture, $", line {lineNumber}, column {column}");
        return new ParseError(lineNumber, column, reason, message.ToString());
    }

    internal static string Describe(ParseErrorReason reason) => reason switch
    {
        ParseErrorReason.InvalidMetricName => "invalid metric name",
        ParseErrorReason.InvalidLabelName => "invalid label name",
        ParseErrorReason.ExpectedLabelEquals => "expected '=' after label name",
        ParseErrorReason.ExpectedLabelValue => "expected a quoted label value",
        ParseErrorReason.UnterminatedLabelValue => "unterminated label value",
        ParseErrorReason.UnterminatedLabelSet => "unterminated label set, expected '}'",
        ParseErrorReason.MissingValue => "missing sample value",
        ParseErrorReason.InvalidValue => "invalid sample value",
        ParseErrorReason.InvalidTimestamp => "invalid timestamp",
        ParseErrorReason.UnexpectedText => "unexpected text after the sample",
        ParseErrorReason.InvalidHelpLine => "invalid HELP line",
        ParseErrorReason.InvalidTypeLine => "invalid TYPE line",
        ParseErrorReason.InvalidUnitLine => "invalid UNIT line",
        ParseErrorReason.InvalidExemplar => "invalid exemplar",
        ParseErrorReason.InvalidUtf8 => "invalid UTF-8",
        ParseErrorReason.LineTooLong => "line too long",
        ParseErrorReason.TooManyLabels => "too many labels",
        ParseErrorReason.LabelNameTooLong => "label name too long",
        ParseErrorReason.LabelValueTooLong => "label value too long",
        ParseErrorReason.UnexpectedAfterEof => "unexpected data after # EOF",
        ParseErrorReason.MissingEof => "OpenMetrics input does not end with # EOF",
        ParseErrorReason.BlankLine => "blank line (OpenMetrics allows none)",
        ParseErrorReason.CarriageReturn => "carriage return at the end of the line (OpenMetrics lines end with \\n only)",
        ParseErrorReason.InvalidWhitespace => "tokens must be separated by exactly one space",
        ParseErrorReason.ByteOrderMark => "byte order mark (OpenMetrics forbids it)",
        ParseErrorReason.UnexpectedComment => "comment line (OpenMetrics allows only HELP, TYPE, UNIT and EOF after #)",
        ParseErrorReason.UnescapedQuote => "unescaped '\"' (write \\\")",
        ParseErrorReason.DuplicateLabelName => "duplicate label name",
        ParseErrorReason.DuplicateMetadata => "second metadata line of this kind for the family",
        ParseErrorReason.MetadataAfterSamples => "metadata line after the family's samples",
        ParseErrorReason.DuplicateFamily => "metric family seen before (families must be unique and not interleaved)",
        ParseErrorReason.FamilyNameClash => "metric family name clashes with another family's sample names",
        ParseErrorReason.UnitNotSuffix => "unit is not a suffix of the family name",
        ParseErrorReason.UnitNotAllowed => "info and stateset families must have an empty unit",
        ParseErrorReason.InvalidSuffix => "sample name lacks the suffix its family's type requires",
        ParseErrorReason.DuplicateSample => "series repeated in its family without increasing timestamps",
        ParseErrorReason.TimestampNotIncreasing => "timestamp not increasing for this series",
        ParseErrorReason.MetricInterleaved => "metric (labels other than le, quantile or the state) seen earlier in the family: metrics must not be interleaved",
        ParseErrorReason.MetricPointInterleaved => "timestamp earlier than the metric's current point: metric points must not be interleaved",
        ParseErrorReason.MixedTimestamps => "samples of one metric with and without a timestamp",
        ParseErrorReason.InvalidCounterValue => "counter value must be non-negative and not NaN",
        ParseErrorReason.InvalidStateSetValue => "stateset value must be 0 or 1",
        ParseErrorReason.MissingStateLabel => "stateset sample lacks the label named after its family",
        ParseErrorReason.InvalidInfoValue => "info value must be 1",
        ParseErrorReason.MissingBucketLabel => "histogram bucket lacks the le label",
        ParseErrorReason.InvalidBucketLabel => "le label is not a number",
        ParseErrorReason.BucketsNotAscending => "buckets not in increasing le order",
        ParseErrorReason.BucketsNotCumulative => "bucket count lower than the previous bucket's",
        ParseErrorReason.InvalidBucketValue => "histogram count, bucket or sum is negative, NaN or not an integer",
        ParseErrorReason.MissingInfBucket => "histogram lacks the le=\"+Inf\" bucket",
        ParseErrorReason.CountMismatch => "histogram count differs from the +Inf bucket",
        ParseErrorReason.SumCountPairing => "histogram sum and count must appear together",
        ParseErrorReason.SumWithNegativeBuckets => "histogram with negative bucket thresholds must not have a sum",
        ParseErrorReason.InvalidQuantile => "quantile must be a number in [0, 1] with a non-negative value",
        ParseErrorReason.InvalidSummaryValue => "summary count or sum is negative, NaN or (count) not an integer",
        ParseErrorReason.ReservedLabel => "label reserved by the family's type (le, quantile)",
        ParseErrorReason.ExemplarNotAllowed => "exemplar allowed only on counter _total and histogram _bucket samples",
        ParseErrorReason.ExemplarTooLong => "exemplar labels longer than 128 characters",
        _ => "invalid line",
    };

    private static void AppendFragment(StringBuilder message, ReadOnlySpan<byte> line, int at)
    {
        int focus = at;
        while (focus > 0 && (focus == line.Length || ByteClass.IsBlank(line[focus])))
        {
            focus--;
        }

        int start = line[..focus].LastIndexOfAny((byte)' ', (byte)'\t') + 1;
        int end = line[focus..].IndexOfAny((byte)' ', (byte)'\t');
        end = end < 0 ? line.Length : focus + end;
        if (end - start > MaxFragmentBytes)
        {
            int windowStart = Math.Max(start, focus - (MaxFragmentBytes / 2));
            int windowEnd = Math.Min(end, windowStart + MaxFragmentBytes);
            message.Append(windowStart > start ? "..." : string.Empty);
            AppendQuoted(message, line[windowStart..windowEnd]);
            message.Append(windowEnd < end ? "..." : string.Empty);
            return;
        }

        AppendQuoted(message, line[start..end]);
    }

    /// <summary>Printable ASCII as is (with <c>"</c> and <c>\</c> escaped), every other byte as 0xNN.</summary>
    private static void AppendQuoted(StringBuilder message, ReadOnlySpan<byte> fragment)
    {
        message.Append('"');
        foreach (byte b in fragment)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                message.Append('\\').Append((char)b);
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                message.Append((char)b);
            }
            else
            {
                message.Append(CultureInfo.InvariantCulture, $"0x{b:X2}");
            }
        }

        message.Append('"');
    }
}
