namespace FalcoCheck.Bench;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output depends only on the seed, on every runtime
/// and every .NET version, so a generated payload is the same bytes for everyone (System.Random makes no such promise).
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [<paramref name="low"/>, <paramref name="high"/>], both included (Python's randint).</summary>
    public long Between(long low, long high) => low + (long)(NextUInt64() % (ulong)(high - low + 1));

    public T Choice<T>(IReadOnlyList<T> items) => items[(int)Between(0, items.Count - 1)];

    /// <summary>Pareto-distributed value ≥ 1 (Python's paretovariate): heavy-tailed rule match counts.</summary>
    public double Pareto(double alpha) => Math.Pow(1.0 - NextDouble(), -1.0 / alpha);

    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = (int)Between(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Seed from a text such as <c>"large:20250513"</c> (FNV-1a 64), as gen_payload.py seeds per profile.</summary>
    public static SeededRandom FromText(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return new SeededRandom(hash);
    }
}
