namespace FalcoCheck.Parsing;

/// <summary>
/// A <c># HELP</c> or <c># TYPE</c> line already parsed in this body: where it is and where its parts are, relative
/// to the line's start. Falco writes the same HELP and TYPE lines before every sample of a family (2,000 times for
/// 2,000 rules), so the parser recognises a repeat with one byte comparison instead of scanning it again.
/// </summary>
internal struct MetaLineMemo
{
    /// <summary>Body offset of the line.</summary>
    public int Start;

    /// <summary>Length of the line; 0 when nothing is remembered (a HELP or TYPE line is never empty).</summary>
    public int Length;

    public EntryKind Kind;
    public int NameOffset;
    public int NameLength;
    public int TextOffset;
    public int TextLength;
    public MetricType Type;
}
