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
