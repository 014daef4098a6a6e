namespace FalcoCheck.Parsing;

/// <summary>
/// Where the parts of one sample line sit, as offsets into the body, for the OpenMetrics family rules
/// (<see cref="OpenMetricsFamilies"/>). <paramref name="LabelsStart"/> is just after <c>{</c>, or -1 without labels;
/// <paramref name="ExemplarStart"/> is the exemplar's <c>#</c>, or -1.
/// </summary>
internal readonly record struct SampleLayout(
    int NameStart,
    int NameEnd,
    int LabelsStart,
    int SeriesEnd,
    int ValueStart,
    double Value,
    bool HasTimestamp,
    long Timestamp,
    int TimestampStart,
    int ExemplarStart,
    int LineEnd);
