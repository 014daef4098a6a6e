using System.Buffers;
using System.Text;

namespace FalcoCheck.Parsing;

/// <summary>Label sets: validation with limits on the read path, exemplars, and unescaping on request.</summary>
internal ref partial struct TextParser
{
    // Values up to this size are unescaped on the stack; larger ones use a pooled buffer.
    private const int StackUnescapeBytes = 256;

    /// <summary>
    /// Decodes a raw label value: <c>\\</c>, <c>\"</c> and <c>\n</c> (the escapes of both text formats). Any other
    /// backslash pair is kept as written, as Prometheus's textparse does. Raw quotes stay as they are. Allocates
    /// the returned string; call it only when a decoded value is needed.
    /// </summary>
    public static string UnescapeLabelValue(ReadOnlySpan<byte> raw)
    {
        int backslash = raw.IndexOf((byte)'\\');
        if (backslash < 0)
        {
            return Encoding.UTF8.GetString(raw);
        }

        byte[]? rented = null;
        Span<byte> buffer = raw.Length <= StackUnescapeBytes
            ? stackalloc byte[StackUnescapeBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        raw[..backslash].CopyTo(buffer);
        int written = backslash;
        for (int i = backslash; i < raw.Length; i++)
        {
            byte c = raw[i];
            if (c == '\\' && i + 1 < raw.Length)
            {
                byte escaped = raw[++i];
                switch (escaped)
                {
                    case (byte)'\\' or (byte)'"':
                        c = escaped;
                        break;
                    case (byte)'n':
                        c = (byte)'\n';
                        break;
                    default:
                        buffer[written++] = (byte)'\\';
                        c = escaped;
                        break;
                }
            }

            buffer[written++] = c;
        }

        string value = Encoding.UTF8.GetString(buffer[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return value;
    }

    /// <summary>Validates the label set that starts just after <c>{</c>; <paramref name="end"/> is just after <c>}</c>.</summary>
    private LineResult ParseLabelSet(ReadOnlySpan<byte> line, int start, out int end)
    {
        // The same span the LabelEnumerator will re-scan: from after '{' to the end of the line.
        ReadOnlySpan<byte> rest = line[start..];
        var cursor = default(LabelCursor);
        var strict = default(OpenMetricsLabelSet);
        int count = 0;
        int rawQuotes = 0;
        while (true)
        {
            LabelScanStatus status = LabelScanner.Next(rest, ref cursor, out LabelBounds label, out ParseErrorReason error);
            if (status == LabelScanStatus.End)
            {
                end = start + cursor.Position;
                if (_strict && CheckOpenMetricsLabelSetEnd(line, start, end - 1, strict) != LineResult.Entry)
                {
                    return LineResult.Invalid;
                }

                _labelsStart = _lineStart + start;
                _labelCount = count;
                _rawQuoteLabelValues += rawQuotes;
                return LineResult.Entry;
            }

            end = 0;
            if (status == LabelScanStatus.Error)
            {
                return Fail(error, line, start + cursor.Position);
            }

            if (++count > _maxLabels)
            {
                return Fail(ParseErrorReason.TooManyLabels, line, start + label.NameStart);
            }

            if (label.NameEnd - label.NameStart > _maxLabelNameBytes)
            {
                return Fail(ParseErrorReason.LabelNameTooLong, line, start + label.NameStart);
            }

            if (label.ValueEnd - label.ValueStart > _maxLabelValueBytes)
            {
                return Fail(ParseErrorReason.LabelValueTooLong, line, start + label.ValueStart);
            }

            if (label.ValueHasRawQuotes)
            {
                rawQuotes++;
            }

            if (_strict && CheckOpenMetricsLabel(line, start, label, ref strict) != LineResult.Entry)
            {
                end = 0;
                return LineResult.Invalid;
            }
        }
    }

    /// <summary>
    /// OpenMetrics exemplar after the value (and timestamp): <c># {labels} value [timestamp]</c>. Checked for shape
    /// and skipped; its labels do not count against the series limits.
    /// </summary>
    private LineResult SkipExemplar(ReadOnlySpan<byte> line, int hash)
    {
        int brace = ByteClass.SkipBlanks(line, hash + 1);
        if (brace == hash + 1 || brace == line.Length || line[brace] != '{')
        {
            return Fail(ParseErrorReason.InvalidExemplar, line, Math.Min(brace, line.Length - 1));
        }

        ReadOnlySpan<byte> rest = line[(brace + 1)..];
        var cursor = default(LabelCursor);
        LabelScanStatus status;
        while ((status = LabelScanner.Next(rest, ref cursor, out _, out _)) == LabelScanStatus.Label)
        {
        }

        if (status == LabelScanStatus.Error)
        {
            return Fail(ParseErrorReason.InvalidExemplar, line, brace + 1 + cursor.Position);
        }

        int value = ByteClass.SkipBlanks(line, brace + 1 + cursor.Position);
        if (value == line.Length)
        {
            return Fail(ParseErrorReason.InvalidExemplar, line, value);
        }

        int valueEnd = EndOfToken(line, value);
        if (!TryParseValue(line[value..valueEnd], out _, out _, out _))
        {
            return Fail(ParseErrorReason.InvalidExemplar, line, value);
        }

        int timestamp = ByteClass.SkipBlanks(line, valueEnd);
        if (timestamp == line.Length)
        {
            return LineResult.Entry;
        }

        int timestampEnd = EndOfToken(line, timestamp);
        if (!TryParseSecondsAsMilliseconds(line[timestamp..timestampEnd], out _))
        {
            return Fail(ParseErrorReason.InvalidExemplar, line, timestamp);
        }

        int after = ByteClass.SkipBlanks(line, timestampEnd);
        return after == line.Length ? LineResult.Entry : Fail(ParseErrorReason.InvalidExemplar, line, after);
    }
}
