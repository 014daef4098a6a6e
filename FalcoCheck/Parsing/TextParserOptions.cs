namespace FalcoCheck.Parsing;

/// <summary>
/// Limits and strictness for <see cref="TextParser"/>. A line that breaks a limit is one
/// <see cref="EntryKind.Invalid"/> entry with the matching <see cref="ParseErrorReason"/>; the parser never allocates
/// in proportion to the input. A limit of 0 (as in <c>default(TextParserOptions)</c>) means "the default"; a
/// negative limit is a programming error.
/// </summary>
/// <param name="MaxLineBytes">Longest accepted line, in bytes, without its line terminator.</param>
/// <param name="MaxLabelsPerSeries">Most labels on one sample.</param>
/// <param name="MaxLabelNameBytes">Longest label name, in bytes.</param>
/// <param name="MaxLabelValueBytes">Longest label value, in bytes, as written (before unescaping).</param>
/// <param name="ThrowOnInvalid">
/// Strict mode: <see cref="TextParser.Read"/> throws <see cref="TextFormatException"/> instead of returning an
/// <see cref="EntryKind.Invalid"/> entry.
/// </param>
/// <param name="StrictOpenMetrics">
/// OpenMetrics bodies are checked against every rule of the OpenMetrics 1.0 specification (one
/// <see cref="ParseErrorReason"/> each); off, they are read as leniently as Prometheus text. No effect on Prometheus
/// text. Off in <c>default</c>: callers opt in (the instance option <c>openmetrics_strict</c> defaults to on).
/// </param>
internal readonly record struct TextParserOptions(
    int MaxLineBytes = TextParserOptions.DefaultMaxLineBytes,
    int MaxLabelsPerSeries = TextParserOptions.DefaultMaxLabelsPerSeries,
    int MaxLabelNameBytes = TextParserOptions.DefaultMaxLabelNameBytes,
    int MaxLabelValueBytes = TextParserOptions.DefaultMaxLabelValueBytes,
    bool ThrowOnInvalid = false,
    bool StrictOpenMetrics = false)
{
    // Prometheus text formats have no limits of their own; Prometheus's scrape config has the same knobs
    // (label_limit, label_name_length_limit, label_value_length_limit; 0 = unlimited there). Falco's longest line is
    // under 300 bytes and its widest series (rules_matches_total with tag_* labels) has about 20 labels, so these
    // defaults leave a wide margin while still bounding a broken or hostile body.
    public const int DefaultMaxLineBytes = 64 * 1024;
    public const int DefaultMaxLabelsPerSeries = 64;
    public const int DefaultMaxLabelNameBytes = 1024;
    public const int DefaultMaxLabelValueBytes = 16 * 1024;

    /// <summary>Same as <see cref="Default"/>: a parameterless <c>new()</c> gets the defaults, not zeros.</summary>
    public TextParserOptions()
        : this(DefaultMaxLineBytes, DefaultMaxLabelsPerSeries, DefaultMaxLabelNameBytes, DefaultMaxLabelValueBytes)
    {
    }

    /// <summary>Default limits, lenient (no throwing).</summary>
    public static TextParserOptions Default => new();
}
