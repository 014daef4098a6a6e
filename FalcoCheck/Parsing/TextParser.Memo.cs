namespace FalcoCheck.Parsing;

/// <summary>
/// Repeats: a HELP or TYPE line identical to the last one of its kind, and a sample whose name is the last name
/// read, are recognised by comparing bytes with what was already validated (see <see cref="MetaLineMemo"/>).
/// </summary>
internal ref partial struct TextParser
{
    /// <summary>Sets the current entry from a remembered HELP or TYPE line when <paramref name="line"/> repeats it.</summary>
    private bool TryRepeatMetaLine(ReadOnlySpan<byte> line)
    {
        if (line.Length == _helpMemo.Length && line.SequenceEqual(_body.Slice(_helpMemo.Start, _helpMemo.Length)))
        {
            Repeat(in _helpMemo);
            return true;
        }

        if (line.Length == _typeMemo.Length && line.SequenceEqual(_body.Slice(_typeMemo.Start, _typeMemo.Length)))
        {
            Repeat(in _typeMemo);
            return true;
        }

        return false;
    }

    private void Repeat(in MetaLineMemo memo)
    {
        _kind = memo.Kind;
        _nameStart = _lineStart + memo.NameOffset;
        _nameLength = memo.NameLength;
        _textStart = _lineStart + memo.TextOffset;
        _textLength = memo.TextLength;
        _type = memo.Type;
    }

    /// <summary>Remembers the HELP or TYPE line just parsed into the current entry.</summary>
    private void RememberMetaLine(int lineLength)
    {
        var memo = new MetaLineMemo
        {
            Start = _lineStart,
            Length = lineLength,
            Kind = _kind,
            NameOffset = _nameStart - _lineStart,
            NameLength = _nameLength,
            TextOffset = _textStart - _lineStart,
            TextLength = _textLength,
            Type = _type,
        };
        if (_kind == EntryKind.Help)
        {
            _helpMemo = memo;
        }
        else
        {
            _typeMemo = memo;
        }

        _memoNameStart = _nameStart;
        _memoNameLength = _nameLength;
    }

    /// <summary>
    /// End of the metric name at <paramref name="start"/>: when the line begins with the last validated name and the
    /// name stops there, one comparison; otherwise a scan (the caller has checked the first byte).
    /// </summary>
    private int EndOfSampleName(ReadOnlySpan<byte> line, int start)
    {
        int n = _memoNameLength;
        if (n > 0 && line.Length - start > n && !ByteClass.IsMetricNameChar(line[start + n]) &&
            line.Slice(start, n).SequenceEqual(_body.Slice(_memoNameStart, n)))
        {
            return start + n;
        }

        return ByteClass.EndOfMetricName(line, start + 1);
    }
}
