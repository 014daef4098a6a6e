namespace FalcoCheck.Parsing;

/// <summary>
/// The labels of the current sample, re-scanned lazily from the line's bytes (no allocation). Usable in
/// <c>foreach</c>. Valid only until the next <see cref="TextParser.Read"/>.
/// </summary>
internal ref struct LabelEnumerator
{
    // From just after '{' to the end of the line: the scanner needs what follows '}' to tell a closing quote from a
    // raw one exactly as the validating pass did.
    private readonly ReadOnlySpan<byte> _rest;
    private LabelCursor _cursor;
    private bool _done;
    private Label _current;

    internal LabelEnumerator(ReadOnlySpan<byte> rest, bool hasLabels)
    {
        _rest = rest;
        _cursor = default;
        _done = !hasLabels;
        _current = default;
    }

    public readonly Label Current => _current;

    public readonly LabelEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        // The line was validated by Read(), so Error cannot happen here; treat it as the end anyway.
        if (LabelScanner.Next(_rest, ref _cursor, out LabelBounds label, out _) != LabelScanStatus.Label)
        {
            _done = true;
            _current = default;
            return false;
        }

        _current = new Label(
            _rest[label.NameStart..label.NameEnd],
            _rest[label.ValueStart..label.ValueEnd],
            label.ValueIsEscaped,
            label.ValueHasRawQuotes);
        return true;
    }
}
