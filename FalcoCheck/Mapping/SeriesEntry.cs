namespace FalcoCheck.Mapping;

/// <summary>
/// What the mapper decided about one raw series (<c>name{labels}</c> bytes): computed on first sight, cached
/// for every later scrape (CONVENTIONS 4).
/// </summary>
/// <remarks>
/// One object per raw series content for the mapper's life while cached, and within one scrape past the cache: the
/// mapper tells raw series apart by this object (a repeat of one is the same object, a merge is two).
/// </remarks>
internal sealed class SeriesEntry
{
    public SeriesEntry(SeriesRole role, SeriesContext? context, bool perEngine = false, string? text = null, string? engineName = null)
    {
        Role = role;
        Context = context;
        PerEngine = perEngine;
        Text = text;
        EngineName = engineName;
    }

    public SeriesRole Role { get; }

    /// <summary>The context when no capture engine applies (null for dropped and metadata series).</summary>
    public SeriesContext? Context { get; }

    /// <summary>True for libscap series that Falco writes once per event source.</summary>
    public bool PerEngine { get; }

    /// <summary>Version string for <see cref="SeriesRole.Version"/>.</summary>
    public string? Text { get; }

    /// <summary>Set on <c>scap_engine_name_info</c> series: each one opens a block of per-engine series.</summary>
    public string? EngineName { get; }

    /// <summary>A gauge submitted beside the main context with the same value (jemalloc sizes).</summary>
    public SeriesContext? Twin { get; init; }

    /// <summary>A tag this info series contributes to every series of the scrape (<c>kernel_release:…</c>).</summary>
    public string? InfoTag { get; init; }

    /// <summary>Scrape in which the mapper last saw this series (per-engine block tracking).</summary>
    public int LastScrape { get; set; }

    /// <summary>Engine block in which the mapper last saw this series.</summary>
    public int LastBlock { get; set; }

    /// <summary>
    /// The context to submit: tagged with the capture engine whose block the sample came from (none when null) and
    /// with the scrape's info tags. The same object for the same engine and info set, scrape after scrape, and for
    /// every raw series whose <see cref="Context"/> is the same (label filters can give two the same one).
    /// </summary>
    public SeriesContext ContextFor(string? engine, InfoTagSet info)
    {
        var baseContext = Context ?? throw new InvalidOperationException("Series has no context.");
        return engine is null ? baseContext.WithInfo(info) : baseContext.ForEngine(engine, info);
    }
}
