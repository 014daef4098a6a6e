using System.Runtime.InteropServices;

namespace FalcoCheck.Mapping;

/// <summary>
/// What the mapper decided about one raw series (<c>name{labels}</c> bytes): computed on first sight, cached
/// for every later scrape (CONVENTIONS 4).
/// </summary>
internal sealed class SeriesEntry
{
    public SeriesEntry(int id, SeriesRole role, SeriesContext? context, bool perEngine = false, string? text = null, string? engineName = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        Id = id;
        Role = role;
        Context = context;
        PerEngine = perEngine;
        Text = text;
        EngineName = engineName;
    }

    /// <summary>Dense id, used to tell contexts apart inside one scrape.</summary>
    public int Id { get; }

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
    /// with the scrape's info tags. The same object for the same engine and info set, scrape after scrape.
    /// </summary>
    public SeriesContext ContextFor(string? engine, InfoTagSet info)
    {
        var baseContext = Context ?? throw new InvalidOperationException("Series has no context.");
        if (engine is null)
        {
            return baseContext.WithInfo(info);
        }

        // Falco has one to three engines: a short array, searched in order, instead of a dictionary per series. A
        // payload that names more engines than that moves to a dictionary, so a hostile one stays linear.
        if (_manyEngines is not null)
        {
            ref var found = ref CollectionsMarshal.GetValueRefOrAddDefault(_manyEngines, engine, out _);
            return Resolve(ref found, engine, baseContext, info);
        }

        _fewEngines ??= new EngineContext[FewEngines];
        for (var i = 0; i < _fewEngines.Length; i++)
        {
            ref var slot = ref _fewEngines[i];
            if (slot.Engine is null || string.Equals(slot.Engine, engine, StringComparison.Ordinal))
            {
                return Resolve(ref slot, engine, baseContext, info);
            }
        }

        _manyEngines = new Dictionary<string, EngineContext>(StringComparer.Ordinal);
        foreach (var slot in _fewEngines)
        {
            _manyEngines.Add(slot.Engine!, slot);
        }

        _fewEngines = null;
        return ContextFor(engine, info);
    }

    private const int FewEngines = 4;

    private EngineContext[]? _fewEngines;
    private Dictionary<string, EngineContext>? _manyEngines;

    /// <summary>The engine-tagged context, built with its info tags at once and rebuilt only when they change.</summary>
    private static SeriesContext Resolve(ref EngineContext slot, string engine, SeriesContext baseContext, InfoTagSet info)
    {
        if (slot.Engine is null)
        {
            slot.Engine = engine;
            slot.Tag = SharedSeriesText.Tag("engine_name:" + engine);
        }

        if (slot.Context is null || !ReferenceEquals(slot.Info, info))
        {
            slot.Info = info;
            slot.Context = baseContext.ForEngine(slot.Tag!, info);
        }

        return slot.Context;
    }

    private struct EngineContext
    {
        public string? Engine;
        public string? Tag;
        public InfoTagSet? Info;
        public SeriesContext? Context;
    }
}
