namespace FalcoCheck.Parsing;

/// <summary>
/// The suffix of a sample name after its family name (OpenMetrics 1.0, "Suffixes"). <see cref="Foreign"/>: the
/// name is not the family name followed by any of these, so the sample starts another family.
/// </summary>
internal enum MetricSuffix : byte
{
    /// <summary>The sample name is the family name.</summary>
    None,
    Total,
    Created,
    Count,
    Sum,
    Bucket,
    GCount,
    GSum,
    Info,
    Foreign,
}
