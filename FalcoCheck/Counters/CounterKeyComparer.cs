using FalcoCheck.Mapping;

namespace FalcoCheck.Counters;

/// <summary>
/// Equality of counter-state keys, each either a <see cref="SeriesContext"/> (a scrape's counter) or its key text
/// (<c>name|host|sorted tags</c>, as restored from a state file or given by a caller). Both forms of the same text
/// are one key, so a restored counter is found again by its context, and a context need not keep its text.
/// </summary>
internal sealed class CounterKeyComparer : IEqualityComparer<object>
{
    public static readonly CounterKeyComparer Instance = new();

    /// <summary>The key text of <paramref name="key"/>, as a state file holds it.</summary>
    public static string Text(object key) => key as string ?? ((SeriesContext)key).FormatKey();

    public new bool Equals(object? x, object? y)
    {
        // The same context object every scrape: the common case, and no text is built.
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null)
        {
            return false;
        }

        if (x is SeriesContext a && y is SeriesContext b && a.KeyHash != b.KeyHash)
        {
            return false;
        }

        return string.Equals(Text(x), Text(y), StringComparison.Ordinal);
    }

    public int GetHashCode(object obj) =>
        obj is SeriesContext context ? context.KeyHash : StringComparer.Ordinal.GetHashCode((string)obj);
}
