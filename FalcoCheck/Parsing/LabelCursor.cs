namespace FalcoCheck.Parsing;

/// <summary>
/// Where <see cref="LabelScanner.Next"/> resumes in a label set. When the check that a quote closes a value has
/// already read the next label's name and opening quote (<c>,name="</c>), their offsets are kept here, so that
/// each label name is scanned once per pass instead of twice.
/// </summary>
internal struct LabelCursor
{
    /// <summary>Offset of the next byte to read; after an error, the offending byte.</summary>
    public int Position;

    internal int PendingNameStart;
    internal int PendingNameEnd;

    // 0 when nothing is pending: a value never starts at 0, it follows a quote.
    internal int PendingValueStart;
}
