namespace FalcoCheck.Tests.Support;

/// <summary>One series as a server gives it back: labels (with <c>__name__</c>), values and millisecond timestamps.</summary>
internal sealed record ExportedSeries(IReadOnlyDictionary<string, string> Labels, double[] Values, long[] Timestamps)
{
    public string Name => Labels["__name__"];

    /// <summary>Labels without the name, as <c>k=v</c> sorted: a key to match series across systems.</summary>
    public string LabelKey => string.Join(',', Labels.Where(l => l.Key != "__name__").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
}
