using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using FalcoCheck.Parsing;

namespace FalcoCheck.Mapping;

/// <summary>
/// Turns one scraped payload into falco.* contexts and values. One mapper per instance: it keeps the series
/// cache, so a steady-state scrape is a parse plus one hash lookup per sample.
/// </summary>
/// <remarks>
/// Falco ≤ 0.40 with several event sources writes its libscap series once per source, in blocks, and repeats
/// its own (process-wide) series too. A libscap series seen again inside the current block opens the next block;
/// block N belongs to the N-th <c>scap_engine_name_info</c> line and is tagged <c>engine_name:</c>. Any other
/// raw series seen twice keeps the later value (the fresher reading) and is counted in
/// <see cref="ScrapeFacts.DuplicateSeries"/>: a repeat is never summed and a context is never sent twice.
/// <para>
/// Two different raw series can have one context when label filters (<c>exclude_labels</c>, <c>include_labels</c>,
/// <c>rename_labels</c>) take away what told them apart: <c>include_labels: [source]</c> gives every rule of a source
/// the one <c>falco.rules.matches.count</c> context. Their values are summed (each raw series' later reading, once),
/// as Prometheus' <c>sum without (rule_name)</c> would, and counted in <see cref="ScrapeFacts.MergedSeries"/>. Datadog's
/// OpenMetrics V2 check drops the labels from the tags and submits every sample: the Agent's aggregator then gets
/// two values of one context in one run, keeps the last for a gauge, and reads a monotonic_count's as successive
/// readings of one counter (a lower one counted as a reset), so the count it reports is neither rule's nor their sum.
/// </para>
/// </remarks>
internal sealed class FalcoMapper
{
    /// <summary>Parse errors kept per scrape for the report; the rest are only counted.</summary>
    private const int MaxReportedErrors = 10;

    private readonly MappingOptions _options;
    private readonly SeriesEntryFactory _factory;
    private readonly Dictionary<byte[], SeriesEntry> _cache = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], SeriesEntry>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    // Scratch of one Map call, shared by every mapper that maps on the same thread (Map never awaits): a daemon with
    // many instances keeps one set per thread instead of one per instance. Emptied when Map returns.
    [ThreadStatic]
    private static List<(SeriesEntry Entry, int Block, double Value)>? t_pending;
    [ThreadStatic]
    private static Dictionary<SeriesContext, int>? t_slots;
    [ThreadStatic]
    private static List<SeriesEntry>? t_slotSeries;
    [ThreadStatic]
    private static List<(int Slot, double Value)>? t_parts;
    [ThreadStatic]
    private static Dictionary<(int Slot, SeriesEntry Series), int>? t_partIndex;

    // This thread's scratch, taken by Map before anything reads it (a field read per sample, not a thread-static one);
    // empty on entry, because Map's finally empties it.
    private List<(SeriesEntry Entry, int Block, double Value)> _pending = null!;
    private Dictionary<SeriesContext, int> _slots = null!;
    // Per sample slot: the raw series (its SeriesEntry, one object per raw series content, see Lookup) whose value it
    // holds, or SeveralSeries when several; their values are then in _parts, one per raw series (_partIndex finds it), and
    // summed when the payload is mapped.
    private List<SeriesEntry> _slotSeries = null!;
    private List<(int Slot, double Value)> _parts = null!;
    private Dictionary<(int Slot, SeriesEntry Series), int> _partIndex = null!;
    // A marker only, never mapped: the slot holds the values of several raw series.
    private static readonly SeriesEntry SeveralSeries = new(SeriesRole.Dropped, null);
    // Raw series past the series cache, for the current scrape only (null until the cache is full): a repeat of one
    // (Falco's repeated blocks) must get the same entry, so it is read as a repeat (later wins), not as a second raw
    // series summed in. Keyed by the series' bytes, i.e. by content.
    private Dictionary<byte[], SeriesEntry>? _uncached;
    private Dictionary<byte[], SeriesEntry>.AlternateLookup<ReadOnlySpan<byte>> _uncachedLookup;
    private readonly List<KeyValuePair<string, string>> _labels = [];
    private readonly List<MappedSample> _samples = [];
    private readonly ScrapeFacts _facts = new();
    private readonly List<string> _infoTags = [];
    private readonly OpenMetricsFamilies _openMetricsFamilies = new();
    private InfoTagSet _info = InfoTagSet.Empty;
    private int _scrapeId;

    public FalcoMapper(MappingOptions options)
    {
        _options = options;
        _factory = new SeriesEntryFactory(options);
        _lookup = _cache.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Distinct series in the cache.</summary>
    public int CachedSeries => _cache.Count;

    /// <summary>Samples of the last <see cref="Map"/>; valid until the next call.</summary>
    public IReadOnlyList<MappedSample> Samples => _samples;

    /// <summary>Info tags of the last <see cref="Map"/> (empty when <c>info_tags</c> is off).</summary>
    public InfoTagSet Info => _options.InfoTags ? _info : InfoTagSet.Empty;

    /// <summary>Facts of the last <see cref="Map"/>; valid until the next call.</summary>
    public ScrapeFacts Facts => _facts;

    public void Map(ReadOnlySpan<byte> body, TextFormat format)
    {
        _scrapeId++;
        _facts.Clear();
        _pending = t_pending ??= [];
        _slots = t_slots ??= new(ReferenceEqualityComparer.Instance);
        _slotSeries = t_slotSeries ??= [];
        _parts = t_parts ??= [];
        _partIndex = t_partIndex ??= [];
        _samples.Clear();
        try
        {
            MapBody(body, format);
        }
        finally
        {
            // Nothing of this instance stays referenced from the shared scratch.
            _pending.Clear();
            _slots.Clear();
            _slotSeries.Clear();
            _uncached?.Clear();
            _factory.EndScrape();
            if (_parts.Count > 0)
            {
                _parts.Clear();
                _partIndex.Clear();
            }
        }
    }

    private void MapBody(ReadOnlySpan<byte> body, TextFormat format)
    {
        // Strict mode would throw out of Map: the mapper always reads leniently and counts bad lines instead.
        var parser = new TextParser(body, format, _options.Parser with { ThrowOnInvalid = false }, _openMetricsFamilies);
        var familyOffset = -1;
        var familyLength = 0;
        var familyType = MetricType.Unknown;
        var helpOffset = -1;
        var helpLength = 0;
        var block = 0;
        // OpenMetrics read strictly: "Partial or invalid expositions MUST be considered erroneous in their entirety"
        // (OpenMetrics 1.0), so the first error rejects the whole body, as Prometheus does.
        var rejectWhole = format == TextFormat.OpenMetrics && _options.Parser.StrictOpenMetrics;
        while (parser.Read())
        {
            switch (parser.Kind)
            {
                case EntryKind.Type:
                    // Remember where the family name sits in the body rather than copying it.
                    body.Overlaps(parser.MetricName, out familyOffset);
                    familyLength = parser.MetricName.Length;
                    familyType = parser.Type;
                    break;
                case EntryKind.Help:
                    body.Overlaps(parser.HelpText, out helpOffset);
                    helpLength = parser.HelpText.Length;
                    break;
                case EntryKind.Sample when _facts.SeriesScraped >= _options.MaxSeriesPerScrape:
                    // Past the limit a sample is only counted: no lookup, no new cache entry, nothing submitted.
                    _facts.SeriesScraped++;
                    _facts.SeriesDropped++;
                    _facts.SeriesOverLimit++;
                    break;
                case EntryKind.Sample:
                    var family = familyOffset >= 0 && parser.MetricName.StartsWith(body.Slice(familyOffset, familyLength))
                        ? body.Slice(familyOffset, familyLength)
                        : default;
                    var help = helpOffset >= 0 ? body.Slice(helpOffset, helpLength) : default;
                    var entry = Lookup(ref parser, family, family.IsEmpty ? MetricType.Unknown : familyType, help);
                    Accept(ref parser, entry, ref block);
                    break;
                case EntryKind.Invalid:
                    _facts.InvalidLines++;
                    if (parser.Error.Reason is ParseErrorReason.LineTooLong or ParseErrorReason.TooManyLabels
                        or ParseErrorReason.LabelNameTooLong or ParseErrorReason.LabelValueTooLong)
                    {
                        _facts.LimitHits[parser.Error.Reason] = _facts.LimitHits.GetValueOrDefault(parser.Error.Reason) + 1;
                    }

                    if (_facts.Errors.Count < MaxReportedErrors)
                    {
                        _facts.Errors.Add(parser.Error);
                    }

                    break;
            }

            if (rejectWhole && _facts.InvalidLines > 0)
            {
                _facts.BodyRejected = true;
                _pending.Clear();
                break;
            }
        }

        Resolve();
    }

    private SeriesEntry Lookup(ref TextParser parser, ReadOnlySpan<byte> family, MetricType familyType, ReadOnlySpan<byte> help)
    {
        if (_lookup.TryGetValue(parser.Series, out var entry) ||
            (_uncached is not null && _uncachedLookup.TryGetValue(parser.Series, out entry)))
        {
            return entry;
        }

        _labels.Clear();
        foreach (var label in parser.Labels)
        {
            var value = label.ValueIsEscaped ? TextParser.UnescapeLabelValue(label.Value) : Encoding.UTF8.GetString(label.Value);
            _labels.Add(new(Encoding.UTF8.GetString(label.Name), value));
        }

        var familyName = family.IsEmpty ? null : Encoding.UTF8.GetString(family);
        // 0.42+ marks constant lines it keeps for compatibility in their help text.
        var deprecated = help.IndexOf("DEPRECATED"u8) >= 0;
        entry = _factory.Create(Encoding.UTF8.GetString(parser.MetricName), _labels, familyType, familyName, deprecated);
        if (_cache.Count < _options.MaxCachedSeries)
        {
            // The key's bytes are shared with every other instance that saw the same series.
            _cache[SharedSeriesText.Key(parser.Series)] = entry;
        }
        else
        {
            UncachedSeen(parser.Series, entry);
        }

        return entry;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UncachedSeen(ReadOnlySpan<byte> series, SeriesEntry entry)
    {
        if (_uncached is null)
        {
            _uncached = new(ByteKeyComparer.Instance);
            _uncachedLookup = _uncached.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        _uncached[series.ToArray()] = entry;
    }

    private void Accept(ref TextParser parser, SeriesEntry entry, ref int block)
    {
        _facts.SeriesScraped++;
        switch (entry.Role)
        {
            case SeriesRole.Dropped:
                _facts.SeriesDropped++;
                return;
            case SeriesRole.Version:
                _facts.FalcoVersion = entry.Text;
                _facts.SeriesDropped++;
                return;
            case SeriesRole.StartTimestamp:
                _facts.StartTimestampNs = ExactInteger(ref parser);
                _facts.SeriesDropped++;
                return;
            case SeriesRole.ReloadTimestamp:
                _facts.ReloadTimestampNs = ExactInteger(ref parser);
                _facts.SeriesDropped++;
                return;
            case SeriesRole.BootTimestamp:
                _facts.BootTimestampNs = ExactInteger(ref parser);
                _facts.SeriesDropped++;
                return;
        }

        if (entry.InfoTag is { } info && !_facts.InfoTags.Contains(info))
        {
            _facts.InfoTags.Add(info);
        }

        if (entry.EngineName is { } engine && !_facts.Engines.Contains(engine))
        {
            _facts.Engines.Add(engine);
        }

        var sampleBlock = -1;
        if (entry.PerEngine)
        {
            // NOTE: a per-engine series seen twice in the current block means the next engine's block began.
            if (entry.LastScrape == _scrapeId && entry.LastBlock == block)
            {
                block++;
            }

            entry.LastScrape = _scrapeId;
            entry.LastBlock = block;
            sampleBlock = block;
        }

        _pending.Add((entry, sampleBlock, parser.Value));
    }

    private static long? ExactInteger(ref TextParser parser) =>
        parser.TryGetExactInteger(out var value) ? value : null;

    private void Resolve()
    {
        var engines = _facts.Engines;
        var info = _options.InfoTags ? CurrentInfoTags() : InfoTagSet.Empty;
        foreach (var (entry, block, value) in _pending)
        {
            // A block beyond the last engine has no engine of its own: it lands on the last one and is deduplicated.
            var engine = block >= 0 && engines.Count > 0 ? engines[Math.Min(block, engines.Count - 1)] : null;
            Add(entry.ContextFor(engine, info), value, entry);
            if (entry.Twin is { } twin)
            {
                Add(twin.WithInfo(info), value, entry);
            }
        }

        if (_parts.Count > 0)
        {
            SumParts();
        }
    }

    private void Add(SeriesContext context, double value, SeriesEntry series)
    {
        // One lookup: the slot is read, or added for this context.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, context, out var exists);
        if (!exists)
        {
            slot = _samples.Count;
            _samples.Add(new MappedSample(context, value));
            _slotSeries.Add(series);
            return;
        }

        if (ReferenceEquals(_slotSeries[slot], series))
        {
            // The same raw series again (Falco's repeated blocks): the later reading.
            _samples[slot] = new MappedSample(context, value);
            _facts.DuplicateSeries++;
            return;
        }

        AddPart(slot, value, series);
    }

    /// <summary>Another raw series with the slot's context (label filters merged them): its value is kept apart until summed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddPart(int slot, double value, SeriesEntry series)
    {
        var first = _slotSeries[slot];
        if (!ReferenceEquals(first, SeveralSeries))
        {
            // The slot's first raw series becomes the first part.
            _partIndex[(slot, first)] = _parts.Count;
            _parts.Add((slot, _samples[slot].Value));
            _slotSeries[slot] = SeveralSeries;
            // Label rules that merge without losing a label (renames) are only seen here: the counter state must know
            // the value is a sum from now on, also in a later scrape where only one of the raw series is left.
            _samples[slot].Context.MarkMayMerge();
        }

        ref var part = ref CollectionsMarshal.GetValueRefOrAddDefault(_partIndex, (slot, series), out var exists);
        if (exists)
        {
            _parts[part] = (slot, value);
            _facts.DuplicateSeries++;
            return;
        }

        part = _parts.Count;
        _parts.Add((slot, value));
        _facts.MergedSeries++;
    }

    /// <summary>Each merged slot's value: the sum of its raw series' (later) values, in the order they came.</summary>
    private void SumParts()
    {
        foreach (var (slot, _) in _parts)
        {
            _samples[slot] = _samples[slot] with { Value = 0 };
        }

        foreach (var (slot, value) in _parts)
        {
            _samples[slot] = _samples[slot] with { Value = _samples[slot].Value + value };
        }
    }

    /// <summary>The info tags of this scrape; the same set object as last time when nothing changed.</summary>
    private InfoTagSet CurrentInfoTags()
    {
        _infoTags.Clear();
        if (_facts.FalcoVersion is { } version)
        {
            _infoTags.Add("falco_version:" + version);
        }

        var sources = 0;
        string? source = null;
        foreach (var tag in _facts.InfoTags)
        {
            if (tag.StartsWith("evt_source:", StringComparison.Ordinal))
            {
                sources++;
                source = tag;
            }
            else
            {
                _infoTags.Add(tag);
            }
        }

        if (sources == 1)
        {
            _infoTags.Add(source!);
        }

        if (_facts.Engines.Count == 1)
        {
            _infoTags.Add("engine_name:" + _facts.Engines[0]);
        }

        if (!_info.SameAs(_infoTags))
        {
            var tags = new string[_infoTags.Count];
            for (var i = 0; i < tags.Length; i++)
            {
                tags[i] = SharedSeriesText.Tag(_infoTags[i]);
            }

            _info = new InfoTagSet(tags);
        }

        return _info;
    }
}
