namespace FalcoCheck.Parsing;

/// <summary>Offsets of one label inside the span given to <see cref="LabelScanner.Next"/>; ends are exclusive.</summary>
internal readonly record struct LabelBounds(
    int NameStart,
    int NameEnd,
    int ValueStart,
    int ValueEnd,
    bool ValueIsEscaped,
    bool ValueHasRawQuotes);
