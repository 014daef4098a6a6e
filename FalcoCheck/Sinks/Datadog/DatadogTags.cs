using System.Runtime.CompilerServices;
using System.Text;

namespace FalcoCheck.Sinks.Datadog;

/// <summary>
/// Tags as Datadog stores them (docs "Getting Started with Tags", "Define tags"; the Agent's <c>NormalizeTag</c>):
/// lower case; must start with a letter or ':'; letters, digits, ':', '.', '/', '-' are kept; every run of other
/// characters (underscores included) becomes one '_', and a trailing run is removed; at most 200 characters.
/// Sending them normalized keeps what FalcoCheck prints equal to what the user finds in Datadog.
/// </summary>
internal static class DatadogTags
{
    /// <summary>Datadog's tag length limit (characters).</summary>
    public const int MaxLength = 200;

    // Series keep their tag array for their lifetime (SeriesContext), so one normalization per series.
    private static readonly ConditionalWeakTable<string[], string[]> Cache = new();

    public static string[] Normalize(string[] tags) => Cache.GetValue(tags, NormalizeUncached);

    /// <summary>
    /// Normalizes without remembering the result, for callers that keep their own per-array cache
    /// (<see cref="DatadogEncodedContext"/>), so an array is not held in two tables.
    /// </summary>
    public static string[] NormalizeUncached(string[] tags)
    {
        var normalized = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            if (Normalize(tag) is { Length: > 0 } clean)
            {
                normalized.Add(clean);
            }
        }

        return [.. normalized];
    }

    public static string Normalize(string tag)
    {
        if (IsNormalizedAscii(tag))
        {
            return tag;
        }

        var text = new StringBuilder(Math.Min(tag.Length, MaxLength));
        int characters = 0;
        bool pendingUnderscore = false;
        foreach (var original in tag.EnumerateRunes())
        {
            if (characters >= MaxLength)
            {
                break;
            }

            var rune = Rune.ToLowerInvariant(original);
            bool startsOrLetter = Rune.IsLetter(rune) || rune.Value == ':';
            if (characters == 0 && !startsOrLetter)
            {
                continue; // Leading characters that cannot start a tag are trimmed.
            }

            characters++;
            if (startsOrLetter || Rune.IsDigit(rune) || rune.Value is '.' or '/' or '-')
            {
                if (pendingUnderscore)
                {
                    text.Append('_');
                    pendingUnderscore = false;
                }

                text.Append(rune.ToString());
            }
            else
            {
                pendingUnderscore = true;
            }
        }

        return text.ToString();
    }

    /// <summary>The common case, checked without allocating: already lower-case ASCII in Datadog's alphabet.</summary>
    private static bool IsNormalizedAscii(string tag)
    {
        if (tag.Length == 0)
        {
            return true;
        }

        if (tag.Length > MaxLength || !IsStart(tag[0]))
        {
            return false;
        }

        for (int i = 1; i < tag.Length; i++)
        {
            char c = tag[i];
            if (c == '_')
            {
                // One underscore between two valid characters is what normalization would write too.
                i++;
                if (i == tag.Length || !IsValid(tag[i]))
                {
                    return false;
                }
            }
            else if (!IsValid(c))
            {
                return false;
            }
        }

        return true;

        static bool IsStart(char c) => c is (>= 'a' and <= 'z') or ':';
        static bool IsValid(char c) => IsStart(c) || c is (>= '0' and <= '9') or '.' or '/' or '-';
    }
}
