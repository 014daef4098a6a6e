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

    // OpenMetrics 1.0 strict mode (TextParserOptions.StrictOpenMetrics). Each names one rule of the specification
    // ("OpenMetrics 1.0", text format, ABNF and "Metric types"); README "OpenMetrics" lists them.

    /// <summary>A blank line: the ABNF has no empty line anywhere before <c># EOF</c>.</summary>
    BlankLine,

    /// <summary>A line ending in <c>\r</c>: "Line endings MUST be signalled with line feed and MUST NOT contain carriage returns".</summary>
    CarriageReturn,

    /// <summary>Tokens must be separated by exactly one space (ABNF <c>SP</c>): no tab, no leading, trailing or double blank.</summary>
    InvalidWhitespace,

    /// <summary>A byte order mark: "Byte order markers (BOMs) MUST NOT be used".</summary>
    ByteOrderMark,

    /// <summary>A <c>#</c> line other than HELP, TYPE, UNIT and EOF: "you MUST NOT expose lines beginning with a #".</summary>
    UnexpectedComment,

    /// <summary>A raw <c>"</c> inside a label value or HELP text, which must be written <c>\"</c>.</summary>
    UnescapedQuote,

    /// <summary>A label name used twice in one sample: "Label names MUST be unique within a LabelSet".</summary>
    DuplicateLabelName,

    /// <summary>A second HELP, TYPE or UNIT line for one family: "There MUST NOT be more than one of each type of metadata line".</summary>
    DuplicateMetadata,

    /// <summary>A HELP, TYPE or UNIT line after the family's first sample.</summary>
    MetadataAfterSamples,

    /// <summary>A family that appeared before: names are unique and families are not interleaved.</summary>
    DuplicateFamily,

    /// <summary>A family whose sample names could clash with another's (a gauge <c>foo_created</c> beside a counter <c>foo</c>).</summary>
    FamilyNameClash,

    /// <summary>A non-empty unit that is not the family name's suffix after an underscore.</summary>
    UnitNotSuffix,

    /// <summary>A non-empty unit on an info or stateset family, which "MUST have an empty Unit string".</summary>
    UnitNotAllowed,

    /// <summary>A sample named like its family without the suffix its type requires (counter <c>_total</c>, histogram <c>_bucket</c>...).</summary>
    InvalidSuffix,

    /// <summary>The same series (name and labels) twice in a family without increasing timestamps.</summary>
    DuplicateSample,

    /// <summary>A series' timestamps going backwards (or repeating): "MetricPoints MUST have monotonically increasing timestamps".</summary>
    TimestampNotIncreasing,

    /// <summary>A sample of a Metric (its labels but the point's own: <c>le</c>, <c>quantile</c>, the stateset label) that the family left for another: "Metrics MUST NOT be interleaved".</summary>
    MetricInterleaved,

    /// <summary>A sample whose timestamp is earlier than its Metric's current point's: "MetricPoints MUST NOT be interleaved".</summary>
    MetricPointInterleaved,

    /// <summary>Samples of one Metric with and without a timestamp: its points' timestamps cannot increase.</summary>
    MixedTimestamps,

    /// <summary>A counter <c>_total</c> that is negative or NaN.</summary>
    InvalidCounterValue,

    /// <summary>A stateset sample whose value is not 0 or 1.</summary>
    InvalidStateSetValue,

    /// <summary>A stateset sample without a label named after its family.</summary>
    MissingStateLabel,

    /// <summary>An info sample whose value is not 1.</summary>
    InvalidInfoValue,

    /// <summary>A histogram bucket without an <c>le</c> label.</summary>
    MissingBucketLabel,

    /// <summary>An <c>le</c> value that is not a number, or NaN.</summary>
    InvalidBucketLabel,

    /// <summary>Buckets not sorted by strictly increasing <c>le</c>.</summary>
    BucketsNotAscending,

    /// <summary>A bucket count below the previous bucket's: buckets are cumulative.</summary>
    BucketsNotCumulative,

    /// <summary>A bucket, count or sum value that is negative, NaN or (counts) not an integer.</summary>
    InvalidBucketValue,

    /// <summary>A histogram point without the <c>le="+Inf"</c> bucket.</summary>
    MissingInfBucket,

    /// <summary><c>_count</c> (<c>_gcount</c>) differs from the <c>+Inf</c> bucket.</summary>
    CountMismatch,

    /// <summary><c>_sum</c> without <c>_count</c> or the reverse: "If and only if a Sum Value is present ... _count".</summary>
    SumCountPairing,

    /// <summary>A histogram with a negative bucket threshold that also has <c>_sum</c>.</summary>
    SumWithNegativeBuckets,

    /// <summary>A <c>quantile</c> label outside [0, 1] or not a number, or a negative quantile value.</summary>
    InvalidQuantile,

    /// <summary>A summary <c>_count</c> or <c>_sum</c> that is negative or NaN, or a count that is not an integer.</summary>
    InvalidSummaryValue,

    /// <summary><c>le</c> (histograms) or <c>quantile</c> (summaries) on a sample where the type reserves it.</summary>
    ReservedLabel,

    /// <summary>An exemplar on a sample other than a counter's <c>_total</c> or a histogram's <c>_bucket</c>.</summary>
    ExemplarNotAllowed,

    /// <summary>An exemplar label set longer than 128 UTF-8 code points (names and values).</summary>
    ExemplarTooLong,
}
