namespace FalcoCheck.Mapping;

/// <summary>
/// The tags a scrape's info series give every falco.* series: Falco version, kernel release, and the capture engine
/// and event source when there is exactly one. The same instance is reused while the set does not change, so
/// contexts can cache their tagged form.
/// </summary>
internal sealed class InfoTagSet(string[] tags)
{
    public static readonly InfoTagSet Empty = new([]);

    public string[] Tags { get; } = tags;

    public bool SameAs(List<string> tags)
    {
        if (tags.Count != Tags.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (!string.Equals(tags[i], Tags[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
