using System.Buffers;
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

    // Label names of one sample kept on the stack for the uniqueness check; more use a pooled array.
    private const int StackLabelNames = 32;

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

            LineResult labels = CheckOpenMetricsLabels(line, brace, isExemplar: false, out _);
            if (labels != LineResult.Entry)
            {
                return labels;
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
            int text = nameEnd + 1;
            for (int i = text; i < line.Length; i++)
            {
                if (line[i] == '\\')
                {
                    // escaped-char = BS ("n" / DQUOTE / BS) / BS normal-char: a backslash needs a byte after it.
                    if (++i == line.Length)
                    {
                        return Fail(ParseErrorReason.InvalidHelpLine, line, i - 1);
                    }
                }
                else if (line[i] == '"')
                {
                    return Fail(ParseErrorReason.UnescapedQuote, line, i);
                }
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
    /// <c>labels = "{" [label *(COMMA label)] "}"</c> with <c>label = label-name EQ DQUOTE escaped-string DQUOTE</c>:
    /// no blank anywhere outside values, no trailing comma, no raw quote, each name once. <paramref name="close"/> is the <c>}</c>.
    /// </summary>
    private LineResult CheckOpenMetricsLabels(ReadOnlySpan<byte> line, int brace, bool isExemplar, out int close)
    {
        close = 0;
        int start = brace + 1;
        ReadOnlySpan<byte> rest = line[start..];
        var cursor = default(LabelCursor);
        int expected = 0;
        int count = 0;
        int runes = 0;
        int[]? rented = null;
        Span<int> names = stackalloc int[StackLabelNames * 2];
        try
        {
            while (true)
            {
                LabelScanStatus status = LabelScanner.Next(rest, ref cursor, out LabelBounds label, out _);
                if (status == LabelScanStatus.End)
                {
                    close = start + cursor.Position - 1;
                    if (count > 0 && rest[expected - 1] == ',')
                    {
                        // After "," a name must follow: "{a="b",}" is not in the ABNF.
                        return Fail(ParseErrorReason.InvalidLabelName, line, close);
                    }

                    if (close != start + expected)
                    {
                        return Fail(ParseErrorReason.InvalidWhitespace, line, start + expected);
                    }

                    return isExemplar && runes > MaxExemplarRunes ? Fail(ParseErrorReason.ExemplarTooLong, line, brace) : LineResult.Entry;
                }

                if (status == LabelScanStatus.Error)
                {
                    // The lenient parse accepted this set; an error here cannot happen, but fail rather than loop.
                    return Fail(ParseErrorReason.InvalidLabelName, line, start + cursor.Position);
                }

                if (label.NameStart != expected || label.ValueStart != label.NameEnd + 2 || rest[label.NameEnd] != '=')
                {
                    int at = label.NameStart != expected ? expected : label.NameEnd;
                    return Fail(ParseErrorReason.InvalidWhitespace, line, start + at);
                }

                if (label.ValueHasRawQuotes)
                {
                    return Fail(ParseErrorReason.UnescapedQuote, line, start + RawQuote(rest, label.ValueStart, label.ValueEnd));
                }

                ReadOnlySpan<byte> name = rest[label.NameStart..label.NameEnd];
                if (count == names.Length / 2)
                {
                    int[] bigger = ArrayPool<int>.Shared.Rent(names.Length * 2);
                    names.CopyTo(bigger);
                    if (rented is not null)
                    {
                        ArrayPool<int>.Shared.Return(rented);
                    }

                    rented = bigger;
                    names = bigger;
                }

                for (int k = 0; k < count; k++)
                {
                    if (rest[names[2 * k]..names[(2 * k) + 1]].SequenceEqual(name))
                    {
                        return Fail(ParseErrorReason.DuplicateLabelName, line, start + label.NameStart);
                    }
                }

                (names[2 * count], names[(2 * count) + 1]) = (label.NameStart, label.NameEnd);
                count++;
                if (isExemplar)
                {
                    runes += Runes(name) + Runes(rest[label.ValueStart..label.ValueEnd]);
                }

                expected = label.ValueEnd + 1 < rest.Length && rest[label.ValueEnd + 1] == ',' ? label.ValueEnd + 2 : label.ValueEnd + 1;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary><c>exemplar = SP HASH SP labels SP number [SP timestamp]</c>, at most 128 code points of labels.</summary>
    private LineResult CheckOpenMetricsExemplar(ReadOnlySpan<byte> line, int hash)
    {
        int brace = hash + 2;
        if (line[hash + 1] != ' ' || line[brace] != '{')
        {
            return Fail(ParseErrorReason.InvalidWhitespace, line, hash + 1);
        }

        LineResult labels = CheckOpenMetricsLabels(line, brace, isExemplar: true, out int close);
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
