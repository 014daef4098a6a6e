namespace FalcoCheck.Configuration;

/// <summary>"did you mean" for unknown keys and enum values: edit distance of at most 2, or a prefix match.</summary>
internal static class KeySuggester
{
    private const int MaxDistance = 2;
    private const int MinPrefix = 3;

    public static string? Suggest(string input, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(candidates);
        string lowered = input.ToLowerInvariant();
        string? best = null;
        int bestDistance = int.MaxValue;
        string? prefixMatch = null;
        foreach (string candidate in candidates)
        {
            int distance = Distance(lowered, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }

            if (prefixMatch is null && IsPrefixMatch(lowered, candidate))
            {
                prefixMatch = candidate;
            }
        }

        // A two-letter key is two edits away from every other two-letter key: require the input to be longer
        // than the distance, so "ab" never suggests "tags".
        if (best is not null && bestDistance <= MaxDistance && bestDistance < lowered.Length)
        {
            return best;
        }

        return prefixMatch;
    }

    /// <summary>"; did you mean 'x'?" to end a message with, or nothing.</summary>
    public static string DidYouMean(string input, IEnumerable<string> candidates) =>
        Suggest(input, candidates) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;

    private static bool IsPrefixMatch(string input, string candidate) =>
        (input.Length >= MinPrefix && candidate.StartsWith(input, StringComparison.OrdinalIgnoreCase))
        || (candidate.Length >= MinPrefix && input.StartsWith(candidate, StringComparison.OrdinalIgnoreCase));

    /// <summary>Optimal string alignment distance: Levenshtein plus adjacent transpositions ("tiemout").</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
