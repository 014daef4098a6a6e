namespace FalcoCheck.Parsing;

/// <summary>
/// What the strict OpenMetrics label checks carry from one label of a set to the next: where the next name must
/// start (offset after <c>{</c>), how many labels were read, and a mask summing up the names seen.
/// </summary>
internal struct OpenMetricsLabelSet
{
    public int Expected;
    public int Count;
    public ulong NameMask;
}
