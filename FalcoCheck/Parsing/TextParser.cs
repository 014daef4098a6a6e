using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace FalcoCheck.Parsing;

/// <summary>
/// Reads a complete Prometheus text 0.0.4 or OpenMetrics 1.0 body, one entry per line, with no allocation per line:
/// <c>while (parser.Read()) switch (parser.Kind) { ... }</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every span returned (<see cref="MetricName"/>, <see cref="Series"/>, <see cref="HelpText"/>,
/// <see cref="UnitText"/>, <see cref="Labels"/>) is a slice of the body and, as in Prometheus's textparse, must be
/// treated as invalid after the next <see cref="Read"/>: copy what you keep. Accessors describe the current entry
/// only and are empty or default for entries of another kind.
/// </para>
/// <para>
/// Tolerates what Falco really writes (repeated and non-contiguous <c># HELP</c>/<c># TYPE</c>, unescaped quotes in
/// label values, 19-digit integers). A broken line becomes one <see cref="EntryKind.Invalid"/> entry with an
/// <see cref="Error"/> (line, byte column, reason) and parsing resumes at the next line; set
/// <see cref="TextParserOptions.ThrowOnInvalid"/> to get a <see cref="TextFormatException"/> instead.
/// </para>
/// </remarks>
internal ref partial struct TextParser
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly TextFormat _format;
    private readonly int _maxLineBytes;
    private readonly int _maxLabels;
    private readonly int _maxLabelNameBytes;
    private readonly int _maxLabelValueBytes;
    private readonly bool _throwOnInvalid;

    // OpenMetrics strict mode (TextParser.Strict.cs); null and false for Prometheus text.
    private readonly bool _strict;
    private readonly OpenMetricsFamilies? _families;

    // One vectorized pass over the whole body in the constructor: then no line needs its own UTF-8 check. A '\n'
    // cannot split a multi-byte sequence, so a valid body has only valid lines.
    private readonly bool _bodyIsValidUtf8;

    private int _next;
    private int _lineNumber;
    private int _invalidLines;
    private int _rawQuoteLabelValues;
    private bool _eofSeen;
    private bool _endReported;

    // The current entry, as offsets into _body so that the struct stays small; slices are made on access.
    private EntryKind _kind;
    private int _lineStart;
    private int _lineEnd;
    private int _nameStart;
    private int _nameLength;
    private int _seriesLength;
    private int _labelsStart;
    private int _labelCount;
    private int _textStart;
    private int _textLength;
    private MetricType _type;
    private double _value;
    private long _exactInteger;
    private bool _hasExactInteger;
    private long _timestamp;
    private bool _hasTimestamp;
    private ParseError _error;

    // Repeats (TextParser.Memo.cs): the last HELP and TYPE lines, and the last metric name validated.
    private MetaLineMemo _helpMemo;
    private MetaLineMemo _typeMemo;
    private int _memoNameStart;
    private int _memoNameLength;

    /// <param name="body">The whole response body; it must outlive the parser.</param>
    /// <param name="format">Prometheus text 0.0.4 (what Falco serves) or OpenMetrics 1.0.</param>
    /// <param name="options">Limits and strictness; <c>default</c> means <see cref="TextParserOptions.Default"/>.</param>
    /// <param name="families">
    /// Strict OpenMetrics only: the family-rule state to reuse (reset here), so that a caller parsing every scrape
    /// allocates nothing once its tables have grown; null allocates one for this body.
    /// </param>
    public TextParser(ReadOnlySpan<byte> body, TextFormat format = TextFormat.Prometheus, TextParserOptions options = default, OpenMetricsFamilies? families = null)
    {
        _body = body;
        _format = format;
        _maxLineBytes = Limit(options.MaxLineBytes, TextParserOptions.DefaultMaxLineBytes);
        _maxLabels = Limit(options.MaxLabelsPerSeries, TextParserOptions.DefaultMaxLabelsPerSeries);
        _maxLabelNameBytes = Limit(options.MaxLabelNameBytes, TextParserOptions.DefaultMaxLabelNameBytes);
        _maxLabelValueBytes = Limit(options.MaxLabelValueBytes, TextParserOptions.DefaultMaxLabelValueBytes);
        _throwOnInvalid = options.ThrowOnInvalid;
        _strict = format == TextFormat.OpenMetrics && options.StrictOpenMetrics;
        _families = _strict ? families?.Reset() ?? new OpenMetricsFamilies() : null;
        _bodyIsValidUtf8 = Utf8.IsValid(body);
        _labelsStart = -1;
    }

    /// <summary>What the last <see cref="Read"/> found.</summary>
    public readonly EntryKind Kind => _kind;

    /// <summary>1-based line number of the current entry.</summary>
    public readonly int LineNumber => _lineNumber;

    /// <summary>Sample: the metric name. Help, Type, Unit: the family name. Invalid after the next <see cref="Read"/>.</summary>
    public readonly ReadOnlySpan<byte> MetricName => _body.Slice(_nameStart, _nameLength);

    /// <summary>
    /// Sample: <c>name{labels}</c> exactly as written, without value or timestamp; a key for a series cache.
    /// Invalid after the next <see cref="Read"/>.
    /// </summary>
    public readonly ReadOnlySpan<byte> Series => _body.Slice(_nameStart, _seriesLength);

    /// <summary>Help: the text after the name, raw (escapes not processed). Invalid after the next <see cref="Read"/>.</summary>
    public readonly ReadOnlySpan<byte> HelpText => _kind == EntryKind.Help ? _body.Slice(_textStart, _textLength) : default;

    /// <summary>Unit (OpenMetrics): the declared unit, possibly empty. Invalid after the next <see cref="Read"/>.</summary>
    public readonly ReadOnlySpan<byte> UnitText => _kind == EntryKind.Unit ? _body.Slice(_textStart, _textLength) : default;

    /// <summary>Type: the declared type.</summary>
    public readonly MetricType Type => _type;

    /// <summary>Sample: the value, rounded exactly as Go's <c>strconv.ParseFloat</c> does; NaN and ±Inf included.</summary>
    public readonly double Value => _value;

    /// <summary>Sample: whether a timestamp followed the value.</summary>
    public readonly bool HasTimestamp => _hasTimestamp;

    /// <summary>Sample: the timestamp in milliseconds since the Unix epoch (OpenMetrics seconds are converted).</summary>
    public readonly long Timestamp => _timestamp;

    /// <summary>Sample: how many labels <see cref="Labels"/> will yield.</summary>
    public readonly int LabelCount => _labelCount;

    /// <summary>Sample: the labels, scanned lazily. Invalid after the next <see cref="Read"/>.</summary>
    public readonly LabelEnumerator Labels =>
        _labelsStart < 0 ? default : new LabelEnumerator(_body[_labelsStart.._lineEnd], hasLabels: true);

    /// <summary>Invalid: where and why the line is broken.</summary>
    public readonly ParseError Error => _error;

    /// <summary>How many <see cref="EntryKind.Invalid"/> entries have been returned so far.</summary>
    public readonly int InvalidLines => _invalidLines;

    /// <summary>How many label values so far held unescaped quotes that were kept (Falco 0.39 JSON label).</summary>
    public readonly int RawQuoteLabelValues => _rawQuoteLabelValues;

    /// <summary>
    /// Moves to the next entry. Blank lines are skipped. Returns false (and <see cref="Kind"/> is
    /// <see cref="EntryKind.Eof"/>) at the end of the input or after OpenMetrics <c># EOF</c>.
    /// </summary>
    /// <exception cref="TextFormatException">A line is broken and <see cref="TextParserOptions.ThrowOnInvalid"/> is set.</exception>
    public bool Read()
    {
        ClearEntry();
        _error = default;
        while (_next < _body.Length)
        {
            int start = _next;
            ReadOnlySpan<byte> rest = _body[start..];
            int newline = rest.IndexOf((byte)'\n');
            int length = newline < 0 ? rest.Length : newline;
            _next = newline < 0 ? _body.Length : start + newline + 1;
            _lineNumber++;
            if (length > 0 && rest[length - 1] == '\r')
            {
                length--;
            }

            _lineStart = start;
            _lineEnd = start + length;
            switch (ParseLine(rest[..length]))
            {
                case LineResult.Entry:
                    return true;
                case LineResult.Invalid:
                    return ReturnInvalid();
            }
        }

        return ReadEnd();
    }

    private LineResult ParseLine(ReadOnlySpan<byte> line)
    {
        int first = ByteClass.SkipBlanks(line, 0);
        if (_eofSeen)
        {
            if (first == line.Length && !_strict)
            {
                return LineResult.Skip;
            }

            // One Invalid entry for whatever follows "# EOF", then stop.
            _next = _body.Length;
            return Fail(ParseErrorReason.UnexpectedAfterEof, line, first);
        }

        if (line.Length > _maxLineBytes)
        {
            return Fail(ParseErrorReason.LineTooLong, line, _maxLineBytes);
        }

        if (_strict)
        {
            LineResult strict = CheckOpenMetricsLine(line, first);
            if (strict != LineResult.Skip)
            {
                return strict;
            }
        }

        if (first == line.Length)
        {
            return LineResult.Skip;
        }

        return line[first] == '#' ? ParseHashLine(line, first) : ParseSample(line, first);
    }

    private LineResult ParseSample(ReadOnlySpan<byte> line, int start)
    {
        if (!_bodyIsValidUtf8 && !Utf8.IsValid(line))
        {
            return FailInvalidUtf8(line);
        }

        if (!ByteClass.IsMetricNameStart(line[start]))
        {
            return Fail(ParseErrorReason.InvalidMetricName, line, start);
        }

        int nameEnd = EndOfSampleName(line, start);
        int p = nameEnd;
        int brace = ByteClass.SkipBlanks(line, nameEnd);
        bool hasLabels = brace < line.Length && line[brace] == '{';
        if (hasLabels)
        {
            // The label scanner only closes the set on '}' followed by a blank or the end of the line.
            LineResult labels = ParseLabelSet(line, brace + 1, out p);
            if (labels != LineResult.Entry)
            {
                return labels;
            }
        }
        else if (nameEnd < line.Length && !ByteClass.IsBlank(line[nameEnd]))
        {
            return Fail(ParseErrorReason.InvalidMetricName, line, nameEnd);
        }

        int seriesEnd = p;
        p = ByteClass.SkipBlanks(line, p);
        if (p == line.Length)
        {
            return Fail(ParseErrorReason.MissingValue, line, p);
        }

        int valueStart = p;
        int valueEnd = EndOfToken(line, p);
        if (!TryParseValue(line[p..valueEnd], out _value, out _exactInteger, out _hasExactInteger))
        {
            return Fail(ParseErrorReason.InvalidValue, line, p);
        }

        p = ByteClass.SkipBlanks(line, valueEnd);
        int timestampStart = p;
        if (p < line.Length && !IsExemplarStart(line, p))
        {
            int timestampEnd = EndOfToken(line, p);
            if (!TryParseTimestamp(line[p..timestampEnd], out _timestamp))
            {
                return Fail(ParseErrorReason.InvalidTimestamp, line, p);
            }

            _hasTimestamp = true;
            p = ByteClass.SkipBlanks(line, timestampEnd);
        }

        int exemplarStart = p < line.Length ? p : -1;
        if (p < line.Length)
        {
            if (!IsExemplarStart(line, p))
            {
                return Fail(ParseErrorReason.UnexpectedText, line, p);
            }

            LineResult exemplar = SkipExemplar(line, p);
            if (exemplar != LineResult.Entry)
            {
                return exemplar;
            }
        }

        if (_strict)
        {
            LineResult strict = CheckOpenMetricsSample(line, nameEnd, hasLabels ? brace : -1, seriesEnd, valueStart, timestampStart, exemplarStart);
            if (strict != LineResult.Entry)
            {
                return strict;
            }
        }

        _nameStart = _lineStart + start;
        _nameLength = nameEnd - start;
        _seriesLength = seriesEnd - start;
        _kind = EntryKind.Sample;
        _memoNameStart = _nameStart;
        _memoNameLength = _nameLength;
        return LineResult.Entry;
    }

    private readonly bool IsExemplarStart(ReadOnlySpan<byte> line, int p) =>
        _format == TextFormat.OpenMetrics && line[p] == '#';

    private bool ReadEnd()
    {
        if (_format == TextFormat.OpenMetrics && !_eofSeen && !_endReported)
        {
            // OpenMetrics 1.0: "The exposition MUST end with an EOF token"; without it the body may be truncated.
            _endReported = true;
            if (_strict && _families!.End(_body, out int at) is var reason && reason != ParseErrorReason.None)
            {
                FailFamilies(reason, at);
                return ReturnInvalid();
            }

            _lineNumber++;
            Fail(ParseErrorReason.MissingEof, default, 0);
            return ReturnInvalid();
        }

        _endReported = true;
        ClearEntry();
        _kind = EntryKind.Eof;
        return false;
    }

    private bool ReturnInvalid()
    {
        ClearEntry();
        _kind = EntryKind.Invalid;
        _invalidLines++;
        if (_throwOnInvalid)
        {
            ThrowInvalid(_error);
        }

        return true;
    }

    private void ClearEntry()
    {
        _kind = EntryKind.None;
        _nameLength = 0;
        _seriesLength = 0;
        _labelsStart = -1;
        _labelCount = 0;
        _textLength = 0;
        _type = MetricType.Unknown;
        _value = 0;
        _hasExactInteger = false;
        _hasTimestamp = false;
        _timestamp = 0;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalid(ParseError error) => throw new TextFormatException(error);

    private static int Limit(int configured, int fallback)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(configured);
        return configured == 0 ? fallback : configured;
    }

    private static int EndOfToken(ReadOnlySpan<byte> line, int p)
    {
        int k = line[p..].IndexOfAny((byte)' ', (byte)'\t');
        return k < 0 ? line.Length : p + k;
    }
}
