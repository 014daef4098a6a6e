using System.Runtime.CompilerServices;

namespace FalcoCheck.Parsing;

/// <summary>
/// OpenMetrics 1.0 strict mode (<see cref="TextParserOptions.StrictOpenMetrics"/>): the ABNF's exact syntax (one
/// space between tokens, no blank line, no comment, no carriage return, no trailing comma, escaped quotes, unique
/// label names, exemplar size) checked here, after the lenient parse accepted the line; the rules across lines in
/// <see cref="OpenMetricsFamilies"/>. Prometheus text never reaches this file: one flag test per line.
/// </summary>
internal ref partial struct TextParser
{
    // "The combined length of the label names and values of an Exemplar's LabelSet MUST NOT exceed 128 UTF-8
    // character code points" (OpenMetrics 1.0, "Exemplars").
    private const int MaxExemplarRunes = 128;

    private readonly LineRef CurrentLine => new(_lineNumber, _lineStart, _lineEnd);

    private readonly OpenMetricsFamilies Families => _families!;

    /// <summary><c># EOF</c> exactly, then the last family's rules.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LineResult CheckOpenMetricsEof(ReadOnlySpan<byte> line)
    {
        if (!line.SequenceEqual("# EOF"u8))
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, line[1] != ' ' ? 1 : line.Length > 5 ? 5 : 2);
        }

        ParseErrorReason reason = Families.End(_body, out int at);
        return reason == ParseErrorReason.None ? LineResult.Skip : FailFamilies(reason, at);
    }

    /// <summary>Whole-line rules, before the line is parsed: BOM, carriage return, blank line.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LineResult CheckOpenMetricsLine(ReadOnlySpan<byte> line, int first)
    {
        if (_lineNumber == 1 && line.StartsWith("\uFEFF"u8))
        {
            return Fail(ParseErrorReason.ByteOrderMark, line, 0);
        }

        if (_lineEnd < _body.Length && _body[_lineEnd] == '\r')
        {
            return Fail(ParseErrorReason.CarriageReturn, line, line.Length);
        }

        if (first == line.Length)
        {
            return Fail(ParseErrorReason.BlankLine, line, 0);
        }

        return first != 0 ? Fail(ParseErrorReason.InvalidWhitespace, line, 0) : LineResult.Skip;
    }

    /// <summary>A sample the lenient parse accepted: exact spacing, label set syntax, then the family rules.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LineResult CheckOpenMetricsSample(ReadOnlySpan<byte> line, int nameEnd, int brace, int seriesEnd, int valueStart, int timestampStart, int exemplar)
    {
        if (brace >= 0)
        {
            if (brace != nameEnd)
            {
                return Fail(ParseErrorReason.InvalidWhitespace, line, nameEnd);
            }

        }

        int tailEnd = exemplar < 0 ? line.Length : exemplar + 2;
        int bad = BadBlank(line, seriesEnd, tailEnd, trailingSpace: exemplar >= 0);
        if (bad >= 0)
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, bad);
        }

        if (exemplar >= 0)
        {
            LineResult checkedExemplar = CheckOpenMetricsExemplar(line, exemplar);
            if (checkedExemplar != LineResult.Entry)
            {
                return checkedExemplar;
            }
        }

        var layout = new SampleLayout(
            _lineStart, _lineStart + nameEnd, brace < 0 ? -1 : _lineStart + brace + 1, _lineStart + seriesEnd, _lineStart + valueStart,
            _value, _hasTimestamp, _timestamp, _lineStart + timestampStart, exemplar < 0 ? -1 : _lineStart + exemplar, _lineEnd);
        ParseErrorReason reason = Families.Sample(_body, CurrentLine, layout, out int at);
        return reason == ParseErrorReason.None ? LineResult.Entry : FailFamilies(reason, at);
    }

    /// <summary>A HELP, TYPE or UNIT line the lenient parse accepted: exact spacing, HELP escapes, then the family rules.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LineResult CheckOpenMetricsMeta(ReadOnlySpan<byte> line, int keyword, int nameStart, int nameEnd)
    {
        // ABNF: HASH SP keyword SP metricname SP ...; the text after the name may be empty but its SP may not.
        if (line[1] != ' ' || keyword != 2)
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, 1);
        }

        if (nameStart != keyword + 5)
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, keyword + 5);
        }

        if (nameEnd < line.Length && line[nameEnd] != ' ')
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, nameEnd);
        }

        if (nameEnd == line.Length)
        {
            return Fail(_kind == EntryKind.Type ? ParseErrorReason.InvalidTypeLine : _kind == EntryKind.Help ? ParseErrorReason.InvalidHelpLine : ParseErrorReason.InvalidUnitLine, line, nameEnd);
        }

        if (_kind == EntryKind.Help)
        {
            int i = nameEnd + 1;
            while (i < line.Length)
            {
                int k = line[i..].IndexOfAny((byte)'\\', (byte)'"');
                if (k < 0)
                {
                    break;
                }

                i += k;
                if (line[i] == '"')
                {
                    return Fail(ParseErrorReason.UnescapedQuote, line, i);
                }

                // escaped-char = BS ("n" / DQUOTE / BS) / BS normal-char: a backslash needs a byte after it.
                if (i + 1 == line.Length)
                {
                    return Fail(ParseErrorReason.InvalidHelpLine, line, i);
                }

                i += 2;
            }
        }
        else
        {
            int end = _kind == EntryKind.Type ? EndOfToken(line, nameEnd + 1) : nameEnd + 1 + _textLength;
            if ((_kind == EntryKind.Unit && _textLength > 0 && _textStart != _lineStart + nameEnd + 1) || end != line.Length)
            {
                return Fail(ParseErrorReason.InvalidWhitespace, line, Math.Min(end, line.Length - 1));
            }
        }

        ParseErrorReason reason = Families.Descriptor(
            _body, CurrentLine, _kind, _nameStart, _nameLength, _type, _textStart, _kind == EntryKind.Unit ? _textLength : 0, out int at);
        return reason == ParseErrorReason.None ? LineResult.Entry : FailFamilies(reason, at);
    }

    /// <summary>
    /// An exemplar's label set, with the same per-label rules as a sample's (<see cref="CheckOpenMetricsLabel"/>, which
    /// <see cref="ParseLabelSet"/> applies as it scans) and at most 128 code points. <paramref name="close"/> is the <c>}</c>.
    /// </summary>
    private LineResult CheckOpenMetricsExemplarLabels(ReadOnlySpan<byte> line, int brace, out int close)
    {
        close = 0;
        int start = brace + 1;
        ReadOnlySpan<byte> rest = line[start..];
        var cursor = default(LabelCursor);
        var set = default(OpenMetricsLabelSet);
        int runes = 0;
        LabelScanStatus status;
        while ((status = LabelScanner.Next(rest, ref cursor, out LabelBounds label, out _)) == LabelScanStatus.Label)
        {
            LineResult checkedLabel = CheckOpenMetricsLabel(line, start, label, ref set);
            if (checkedLabel != LineResult.Entry)
            {
                return checkedLabel;
            }

            runes += Runes(rest[label.NameStart..label.NameEnd]) + Runes(rest[label.ValueStart..label.ValueEnd]);
        }

        if (status == LabelScanStatus.Error)
        {
            // SkipExemplar accepted this set; an error here cannot happen, but fail rather than go on.
            return Fail(ParseErrorReason.InvalidExemplar, line, start + cursor.Position);
        }

        close = start + cursor.Position - 1;
        LineResult end = CheckOpenMetricsLabelSetEnd(line, start, close, set);
        return end == LineResult.Entry && runes > MaxExemplarRunes ? Fail(ParseErrorReason.ExemplarTooLong, line, brace) : end;
    }

    /// <summary>
    /// One label of a set that starts at <paramref name="start"/> (just after <c>{</c>), by the ABNF
    /// <c>label = label-name EQ DQUOTE escaped-string DQUOTE</c>, labels joined by a bare comma: no blank outside
    /// values, no raw quote, each name once. Called as the label is scanned, so a sample's labels are read once.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private LineResult CheckOpenMetricsLabel(ReadOnlySpan<byte> line, int start, in LabelBounds label, ref OpenMetricsLabelSet set)
    {
        ReadOnlySpan<byte> rest = line[start..];
        if (label.NameStart != set.Expected || label.ValueStart != label.NameEnd + 2 || rest[label.NameEnd] != '=')
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, start + (label.NameStart != set.Expected ? set.Expected : label.NameEnd));
        }

        if (label.ValueHasRawQuotes)
        {
            return Fail(ParseErrorReason.UnescapedQuote, line, start + RawQuote(rest, label.ValueStart, label.ValueEnd));
        }

        // Names seen are summed up in a 64-bit mask of (length, first, last byte); only a hit in the mask compares
        // against the earlier names, by scanning them again (rare: distinct names seldom share all three).
        ReadOnlySpan<byte> name = rest[label.NameStart..label.NameEnd];
        ulong bit = 1UL << (((name.Length * 31) + name[0] + (name[^1] * 7)) & 63);
        if ((set.NameMask & bit) != 0 && IsEarlierName(rest, label.NameStart, name))
        {
            return Fail(ParseErrorReason.DuplicateLabelName, line, start + label.NameStart);
        }

        set.NameMask |= bit;
        set.Count++;
        set.Expected = label.ValueEnd + 1 < rest.Length && rest[label.ValueEnd + 1] == ',' ? label.ValueEnd + 2 : label.ValueEnd + 1;
        return LineResult.Entry;
    }

    /// <summary>The <c>}</c> at <paramref name="close"/> must follow the last label directly: no blank, no trailing comma.</summary>
    private LineResult CheckOpenMetricsLabelSetEnd(ReadOnlySpan<byte> line, int start, int close, in OpenMetricsLabelSet set)
    {
        if (set.Count > 0 && line[start + set.Expected - 1] == ',')
        {
            // After "," a name must follow: "{a="b",}" is not in the ABNF.
            return Fail(ParseErrorReason.InvalidLabelName, line, close);
        }

        return close == start + set.Expected ? LineResult.Entry : Fail(ParseErrorReason.InvalidWhitespace, line, start + set.Expected);
    }

    private static bool IsEarlierName(ReadOnlySpan<byte> rest, int before, ReadOnlySpan<byte> name)
    {
        var cursor = default(LabelCursor);
        while (LabelScanner.Next(rest, ref cursor, out LabelBounds earlier, out _) == LabelScanStatus.Label && earlier.NameStart < before)
        {
            if (rest[earlier.NameStart..earlier.NameEnd].SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>exemplar = SP HASH SP labels SP number [SP timestamp]</c>, at most 128 code points of labels.</summary>
    private LineResult CheckOpenMetricsExemplar(ReadOnlySpan<byte> line, int hash)
    {
        int brace = hash + 2;
        if (line[hash + 1] != ' ' || line[brace] != '{')
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, hash + 1);
        }

        LineResult labels = CheckOpenMetricsExemplarLabels(line, brace, out int close);
        if (labels != LineResult.Entry)
        {
            return labels;
        }

        int bad = BadBlank(line, close + 1, line.Length, trailingSpace: false);
        return bad < 0 ? LineResult.Entry : Fail(ParseErrorReason.InvalidWhitespace, line, bad);
    }

    private LineResult FailFamilies(ParseErrorReason reason, int at)
    {
        // The family rules may blame an earlier line (a histogram point settled by the next one).
        LineRef where = Families.ErrorLine;
        _error = ParseErrorFormatter.Create(reason, _body[where.Start..where.End], at - where.Start, where.Number);
        return LineResult.Invalid;
    }

    /// <summary>
    /// In <c>line[from..to]</c>, which must hold single-space-separated tokens starting with a space: the offset of the
    /// first tab, second consecutive space or missing separator, or -1.
    /// </summary>
    private static int BadBlank(ReadOnlySpan<byte> line, int from, int to, bool trailingSpace)
    {
        if (from >= to || line[from] != ' ')
        {
            return from;
        }

        for (int i = from; i < to; i++)
        {
            byte c = line[i];
            if (c == '\t' || (c == ' ' && i + 1 < to && line[i + 1] == ' '))
            {
                return c == '\t' ? i : i + 1;
            }
        }

        return !trailingSpace && line[to - 1] == ' ' ? to - 1 : -1;
    }

    /// <summary>The first <c>"</c> in the value that no backslash escapes.</summary>
    private static int RawQuote(ReadOnlySpan<byte> rest, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (rest[i] == '\\')
            {
                i++;
            }
            else if (rest[i] == '"')
            {
                return i;
            }
        }

        return start;
    }

    /// <summary>Code points of a raw label name or value: UTF-8 lead bytes, an escape pair counting once.</summary>
    private static int Runes(ReadOnlySpan<byte> raw)
    {
        int runes = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\')
            {
                i++;
            }
            else if ((raw[i] & 0xC0) == 0x80)
            {
                continue;
            }

            runes++;
        }

        return runes;
    }
}
