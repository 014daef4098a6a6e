namespace FalcoCheck.Mapping;

/// <summary>
/// One copy, process-wide, of the text every instance's series cache would otherwise hold on its own: raw series
/// keys (<c>name{labels}</c> bytes) and series tags (<c>rule:…</c>, <c>engine_name:…</c>). Falcos write the same
/// series, so a daemon with many instances keeps each of them once instead of once per instance. Only cache misses
/// come here (a series' first sight), never the per-scrape path.
/// </summary>
/// <remarks>
/// Bounded: past <see cref="MaxEntries"/> texts of a kind, a new text is kept by its instance alone, as before, so
/// a churn of series (hostile labels, pods coming and going) cannot grow the pool without end.
/// </remarks>
internal static class SharedSeriesText
{
    /// <summary>Most texts kept of each kind; Falco writes a few hundred distinct series.</summary>
    public const int MaxEntries = 50_000;

    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Tags = new(StringComparer.Ordinal);
    private static readonly HashSet<byte[]> Keys = new(ByteKeyComparer.Instance);
    private static readonly HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>> KeyLookup = Keys.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>The shared copy of <paramref name="tag"/> (equal text, possibly another object).</summary>
    public static string Tag(string tag)
    {
        lock (Gate)
        {
            if (Tags.TryGetValue(tag, out var shared))
            {
                return shared;
            }

            if (Tags.Count < MaxEntries)
            {
                Tags.Add(tag);
            }

            return tag;
        }
    }

    /// <summary>A <c>byte[]</c> with the bytes of <paramref name="key"/>, shared with every equal key asked for before.</summary>
    public static byte[] Key(ReadOnlySpan<byte> key)
    {
        lock (Gate)
        {
            if (KeyLookup.TryGetValue(key, out var shared))
            {
                return shared;
            }

            var copy = key.ToArray();
            if (Keys.Count < MaxEntries)
            {
                Keys.Add(copy);
            }

            return copy;
        }
    }
}
