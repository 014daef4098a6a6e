using System.Text.Unicode;

namespace FalcoCheck.Parsing;

/// <summary>Lines starting with <c>#</c>: HELP, TYPE, UNIT, EOF and comments.</summary>
internal ref partial struct TextParser
{
    private LineResult ParseHashLine(ReadOnlySpan<byte> line, int hash)
    {
        // As Prometheus's lexer: '#', blanks, then the keyword and at least one blank. "#HELP", "# HELPER x" and a
        // bare "# HELP" are comments.
        // NOTE: in lenient OpenMetrics, other comments are Comment entries, as in Prometheus text, and "# UNIT" is
        // not checked against the family name; strict OpenMetrics (TextParser.Strict.cs) refuses both, as Prometheus's
        // parser does. Strict mode also skips the repeat memo: a repeated HELP or TYPE is an error there.
        if (!_strict && TryRepeatMetaLine(line))
        {
            return LineResult.Entry;
        }

        int k = ByteClass.SkipBlanks(line, hash + 1);
        if (k == hash + 1 || k == line.Length)
        {
            return Comment(line);
        }

        ReadOnlySpan<byte> word = line[k..];
        if (_format == TextFormat.OpenMetrics && word.StartsWith("EOF"u8) && word[3..].IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
        {
            _eofSeen = true;
            return _strict ? CheckOpenMetricsEof(line) : LineResult.Skip;
        }

        EntryKind kind;
        ParseErrorReason lineReason;
        if (word.StartsWith("HELP"u8))
        {
            (kind, lineReason) = (EntryKind.Help, ParseErrorReason.InvalidHelpLine);
        }
        else if (word.StartsWith("TYPE"u8))
        {
            (kind, lineReason) = (EntryKind.Type, ParseErrorReason.InvalidTypeLine);
        }
        else if (_format == TextFormat.OpenMetrics && word.StartsWith("UNIT"u8))
        {
            (kind, lineReason) = (EntryKind.Unit, ParseErrorReason.InvalidUnitLine);
        }
        else
        {
            return Comment(line);
        }

        int afterKeyword = k + 4;
        if (afterKeyword == line.Length || !ByteClass.IsBlank(line[afterKeyword]))
        {
            return Comment(line);
        }

        if (!_bodyIsValidUtf8 && !Utf8.IsValid(line))
        {
            return FailInvalidUtf8(line);
        }

        int nameStart = ByteClass.SkipBlanks(line, afterKeyword);
        if (nameStart == line.Length)
        {
            return Fail(lineReason, line, nameStart);
        }

        if (!ByteClass.IsMetricNameStart(line[nameStart]))
        {
            return Fail(ParseErrorReason.InvalidMetricName, line, nameStart);
        }

        int nameEnd = ByteClass.EndOfMetricName(line, nameStart + 1);
        if (nameEnd < line.Length && !ByteClass.IsBlank(line[nameEnd]))
        {
            return Fail(ParseErrorReason.InvalidMetricName, line, nameEnd);
        }

        _nameStart = _lineStart + nameStart;
        _nameLength = nameEnd - nameStart;
        LineResult result = kind switch
        {
            EntryKind.Help => HelpLine(line, nameEnd),
            EntryKind.Type => TypeLine(line, nameEnd),
            _ => UnitLine(line, nameEnd),
        };
        return _strict && result == LineResult.Entry ? CheckOpenMetricsMeta(line, k, nameStart, nameEnd) : result;
    }

    private LineResult HelpLine(ReadOnlySpan<byte> line, int nameEnd)
    {
        // The text is everything after the one blank that ends the name, kept raw, as Prometheus's promparse does.
        int text = nameEnd == line.Length ? nameEnd : nameEnd + 1;
        _textStart = _lineStart + text;
        _textLength = line.Length - text;
        _kind = EntryKind.Help;
        RememberMetaLine(line.Length);
        return LineResult.Entry;
    }

    private LineResult TypeLine(ReadOnlySpan<byte> line, int nameEnd)
    {
        int start = ByteClass.SkipBlanks(line, nameEnd);
        if (start == line.Length)
        {
            return Fail(ParseErrorReason.InvalidTypeLine, line, start);
        }

        int end = EndOfToken(line, start);
        if (!TryParseType(line[start..end], _format, out _type))
        {
            return Fail(ParseErrorReason.InvalidTypeLine, line, start);
        }

        int after = ByteClass.SkipBlanks(line, end);
        if (after != line.Length)
        {
            return Fail(ParseErrorReason.InvalidTypeLine, line, after);
        }

        _kind = EntryKind.Type;
        RememberMetaLine(line.Length);
        return LineResult.Entry;
    }

    private LineResult UnitLine(ReadOnlySpan<byte> line, int nameEnd)
    {
        // OpenMetrics 1.0 ABNF: "# UNIT" SP metricname SP *metricname-char; the unit may be empty.
        int start = ByteClass.SkipBlanks(line, nameEnd);
        int end = start == line.Length ? start : ByteClass.EndOfMetricName(line, start);
        int after = ByteClass.SkipBlanks(line, end);
        if (after != line.Length)
        {
            return Fail(ParseErrorReason.InvalidUnitLine, line, after);
        }

        _textStart = _lineStart + start;
        _textLength = end - start;
        _kind = EntryKind.Unit;
        return LineResult.Entry;
    }

    private LineResult Comment(ReadOnlySpan<byte> line)
    {
        if (_strict)
        {
            // "Aside from this metadata and the EOF line at the end of the message, you MUST NOT expose lines beginning with a #."
            return Fail(ParseErrorReason.UnexpectedComment, line, 0);
        }

        _kind = EntryKind.Comment;
        return LineResult.Entry;
    }

    /// <summary>
    /// Type names are case-sensitive, as in Prometheus's textparse. Text 0.0.4 ("Exposition formats"): counter,
    /// gauge, histogram, summary, untyped. OpenMetrics 1.0 ("Metric types"): counter, gauge, histogram,
    /// gaugehistogram, stateset, info, summary, unknown.
    /// </summary>
    internal static bool TryParseType(ReadOnlySpan<byte> name, TextFormat format, out MetricType type)
    {
        if (name.SequenceEqual("counter"u8))
        {
            type = MetricType.Counter;
        }
        else if (name.SequenceEqual("gauge"u8))
        {
            type = MetricType.Gauge;
        }
        else if (name.SequenceEqual("histogram"u8))
        {
            type = MetricType.Histogram;
        }
        else if (name.SequenceEqual("summary"u8))
        {
            type = MetricType.Summary;
        }
        else if (format == TextFormat.Prometheus)
        {
            type = name.SequenceEqual("untyped"u8) ? MetricType.Untyped : MetricType.Unknown;
            return type == MetricType.Untyped;
        }
        else if (name.SequenceEqual("unknown"u8))
        {
            type = MetricType.Unknown;
        }
        else if (name.SequenceEqual("gaugehistogram"u8))
        {
            type = MetricType.GaugeHistogram;
        }
        else if (name.SequenceEqual("stateset"u8))
        {
            type = MetricType.StateSet;
        }
        else if (name.SequenceEqual("info"u8))
        {
            type = MetricType.Info;
        }
        else
        {
            type = MetricType.Unknown;
            return false;
        }

        return true;
    }
}
