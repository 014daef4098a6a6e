namespace FalcoCheck.Mapping;

/// <summary>
/// One context as a backend sees it: submitted name, kind and tags. Built once per distinct series (and capture
/// engine) and reused by every later scrape.
/// </summary>
internal sealed class SeriesContext
{
    public SeriesContext(string name, MetricKind kind, string? unit, string[] tags, string? host)
    {
        Name = name;
        Kind = kind;
        Unit = unit;
        Tags = tags;
        Host = host;
        Key = BuildKey(name, tags, host);
    }

    public string Name { get; }

    public MetricKind Kind { get; }

    public string? Unit { get; }

    /// <summary>Tags as <c>key:value</c>, series tags first, then the instance's.</summary>
    public string[] Tags { get; }

    /// <summary>Host from <c>hostname_label</c>, or null for the agent's hostname.</summary>
    public string? Host { get; }

    /// <summary>Identity of the context for counter state: name, host and sorted tags.</summary>
    public string Key { get; }

    private static string BuildKey(string name, string[] tags, string? host)
    {
        var sorted = (string[])tags.Clone();
        Array.Sort(sorted, StringComparer.Ordinal);
        return name + "|" + host + "|" + string.Join(',', sorted);
    }
}
