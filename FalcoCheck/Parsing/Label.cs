namespace FalcoCheck.Parsing;

/// <summary>
/// One label of the current sample, as slices of the body: valid only until the next
/// <see cref="TextParser.Read"/>. <see cref="Value"/> is raw (without its quotes, escapes not processed); call
/// <see cref="TextParser.UnescapeLabelValue"/> when <see cref="ValueIsEscaped"/> and a decoded string is needed.
/// </summary>
internal readonly ref struct Label
{
    public Label(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool valueIsEscaped, bool valueHasRawQuotes)
    {
        Name = name;
        Value = value;
        ValueIsEscaped = valueIsEscaped;
        ValueHasRawQuotes = valueHasRawQuotes;
    }

    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The value contains backslash escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>).</summary>
    public bool ValueIsEscaped { get; }

    /// <summary>
    /// The value contains unescaped <c>"</c> that were kept because they cannot end the value (Falco 0.39 writes
    /// JSON into a label without escaping it). They are part of <see cref="Value"/> as written.
    /// </summary>
    public bool ValueHasRawQuotes { get; }
}
