using System.Runtime.InteropServices;

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
    }

    /// <summary>A context derived from <paramref name="root"/> (engine or info tags added): it shares the root's <see cref="MayMerge"/>.</summary>
    private SeriesContext(SeriesContext root, string[] tags)
        : this(root.Name, root.Kind, root.Unit, tags, root.Host)
    {
        _root = root;
    }

    // The context the series entry holds; null when this is it. Derived contexts read its merge flag, which can be set
    // after they were built.
    private readonly SeriesContext? _root;
    private bool _mayMerge;

    /// <summary>
    /// True when label rules can give this context to more than one raw series (a label was excluded, not included or
    /// renamed, or the mapper saw two raw series with it): its value is then a sum, and a fall of the sum is not a
    /// reset by itself (<see cref="Counters.CounterState"/>).
    /// </summary>
    public bool MayMerge => (_root ?? this)._mayMerge;

    /// <summary>Marks this context (and every context derived from the same one) as a sum of raw series.</summary>
    public void MarkMayMerge() => (_root ?? this)._mayMerge = true;

    public string Name { get; }

    public MetricKind Kind { get; }

    public string? Unit { get; }

    /// <summary>Tags as <c>key:value</c>, series tags first, then the instance's.</summary>
    public string[] Tags { get; }

    /// <summary>Host from <c>hostname_label</c>, or null for the agent's hostname.</summary>
    public string? Host { get; }

    /// <summary>Identity of the context for counter state: name, host and sorted tags.</summary>
    /// <remarks>
    /// Built on first use: only counters read it, and most contexts (gauges, and those replaced by their
    /// <see cref="WithInfo"/> form) never do; the key is the longest string a context would otherwise keep.
    /// </remarks>
    public string Key => _key ??= BuildKey(Name, Tags, Host);

    private string? _key;

    /// <summary>
    /// The ordinal hash of <see cref="Key"/>'s text, computed once without keeping the text: counter state keys its
    /// entries by the context itself, so a daemon does not hold one long string per counter per instance.
    /// </summary>
    public int KeyHash
    {
        get
        {
            // 0 doubles as "not yet computed"; a text that hashes to 0 is only hashed again, never wrong.
            if (_keyHash == 0)
            {
                _keyHash = StringComparer.Ordinal.GetHashCode(FormatKey());
            }

            return _keyHash;
        }
    }

    private int _keyHash;

    /// <summary>The text of <see cref="Key"/>, built anew (not kept) unless it already was.</summary>
    public string FormatKey() => _key ?? BuildKey(Name, Tags, Host);

    /// <summary>
    /// This context with the scrape's info tags (Falco version, kernel release…) added, except keys it already has.
    /// Cached: a new array only when the info set changes (a Falco upgrade), not per scrape.
    /// </summary>
    public SeriesContext WithInfo(InfoTagSet info)
    {
        if (info.Tags.Length == 0)
        {
            return this;
        }

        if (ReferenceEquals(_info, info) && _withInfo is not null)
        {
            return _withInfo;
        }

        var tags = new List<string>(Tags.Length + info.Tags.Length);
        tags.AddRange(Tags);
        AddInfo(tags, info);
        _info = info;
        _withInfo = tags.Count == Tags.Length ? this : new SeriesContext(_root ?? this, [.. tags]);
        return _withInfo;
    }

    /// <summary>
    /// This context tagged with a capture engine (<c>engine_name:</c>) and the scrape's info tags. Cached here, not per
    /// raw series, so that two raw series with this context get one engine context too. The same object for the same
    /// engine and info set, scrape after scrape.
    /// </summary>
    public SeriesContext ForEngine(string engine, InfoTagSet info)
    {
        // Falco has one to three engines: a short array, searched in order, instead of a dictionary per context. A
        // payload that names more engines than that moves to a dictionary, so a hostile one stays linear. One field
        // holds either, since most contexts have neither.
        if (_engines is Dictionary<string, EngineContext> many)
        {
            ref var found = ref CollectionsMarshal.GetValueRefOrAddDefault(many, engine, out _);
            return Resolve(ref found, engine, info);
        }

        var few = (EngineContext[]?)_engines ?? (EngineContext[])(_engines = new EngineContext[FewEngines]);
        for (var i = 0; i < few.Length; i++)
        {
            ref var slot = ref few[i];
            if (slot.Engine is null || string.Equals(slot.Engine, engine, StringComparison.Ordinal))
            {
                return Resolve(ref slot, engine, info);
            }
        }

        var dictionary = new Dictionary<string, EngineContext>(StringComparer.Ordinal);
        foreach (var slot in few)
        {
            dictionary.Add(slot.Engine!, slot);
        }

        _engines = dictionary;
        return ForEngine(engine, info);
    }

    private const int FewEngines = 4;

    // Null, an EngineContext[FewEngines], or a Dictionary<string, EngineContext> past that many engines.
    private object? _engines;

    /// <summary>The engine-tagged context, built with its info tags at once and rebuilt only when they change.</summary>
    private SeriesContext Resolve(ref EngineContext slot, string engine, InfoTagSet info)
    {
        if (slot.Engine is null)
        {
            slot.Engine = engine;
            slot.Tag = SharedSeriesText.Tag("engine_name:" + engine);
        }

        if (slot.Context is null || !ReferenceEquals(slot.Info, info))
        {
            slot.Info = info;
            slot.Context = WithEngineTag(slot.Tag!, info);
        }

        return slot.Context;
    }

    /// <summary>
    /// This context with a capture engine's tag first and the scrape's info tags after: what a context with the
    /// engine tag added would give from <see cref="WithInfo"/>, built in one step so that the middle one is not kept.
    /// </summary>
    private SeriesContext WithEngineTag(string engineTag, InfoTagSet info)
    {
        var tags = new List<string>(Tags.Length + 1 + info.Tags.Length) { engineTag };
        tags.AddRange(Tags);
        AddInfo(tags, info);
        return new SeriesContext(_root ?? this, [.. tags]);
    }

    private struct EngineContext
    {
        public string? Engine;
        public string? Tag;
        public InfoTagSet? Info;
        public SeriesContext? Context;
    }

    private InfoTagSet? _info;
    private SeriesContext? _withInfo;

    /// <summary>Adds the info tags whose key none of the tags already in <paramref name="tags"/> has.</summary>
    private static void AddInfo(List<string> tags, InfoTagSet info)
    {
        int own = tags.Count;
        foreach (var tag in info.Tags)
        {
            if (!StartsWithAny(tags, own, tag.AsSpan(0, tag.IndexOf(':', StringComparison.Ordinal) + 1)))
            {
                tags.Add(tag);
            }
        }
    }

    private static bool StartsWithAny(List<string> tags, int count, ReadOnlySpan<char> keyWithColon)
    {
        for (var i = 0; i < count; i++)
        {
            if (tags[i].AsSpan().StartsWith(keyWithColon, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string BuildKey(string name, string[] tags, string? host)
    {
        var sorted = (string[])tags.Clone();
        Array.Sort(sorted, StringComparer.Ordinal);
        return name + "|" + host + "|" + string.Join(',', sorted);
    }
}
