namespace FalcoCheck.Parsing;

/// <summary>Why a line was <see cref="EntryKind.Invalid"/>.</summary>
internal enum ParseErrorReason : byte
{
    None,
    InvalidMetricName,
    InvalidLabelName,

    /// <summary>A label name not followed by <c>=</c>.</summary>
    ExpectedLabelEquals,

    /// <summary><c>=</c> not followed by a quoted value.</summary>
    ExpectedLabelValue,
    UnterminatedLabelValue,

    /// <summary>The line ends inside <c>{...}</c>.</summary>
    UnterminatedLabelSet,
    MissingValue,
    InvalidValue,
    InvalidTimestamp,

    /// <summary>Something after the value (and timestamp) that is neither whitespace nor, in OpenMetrics, an exemplar.</summary>
    UnexpectedText,
    InvalidHelpLine,
    InvalidTypeLine,
    InvalidUnitLine,
    InvalidExemplar,
    InvalidUtf8,

    /// <summary>The column is the first byte beyond <see cref="TextParserOptions.MaxLineBytes"/>.</summary>
    LineTooLong,
    TooManyLabels,
    LabelNameTooLong,
    LabelValueTooLong,

    /// <summary>OpenMetrics: something other than blank lines after <c># EOF</c>.</summary>
    UnexpectedAfterEof,

    /// <summary>OpenMetrics: the body does not end with <c># EOF</c> (for example a truncated response).</summary>
    MissingEof,
}
