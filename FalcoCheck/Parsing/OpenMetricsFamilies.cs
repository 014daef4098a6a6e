using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace FalcoCheck.Parsing;

/// <summary>
/// The OpenMetrics 1.0 rules that span lines: one HELP, TYPE and UNIT per family and before its samples, families
/// unique, not interleaved and not clashing, sample suffixes by type, series unique with increasing timestamps, and
/// the per-type value rules (counter, stateset, info, histogram, gaugehistogram, summary). Used by
/// <see cref="TextParser"/> in strict OpenMetrics mode only, so Prometheus text never pays for it.
/// </summary>
/// <remarks>
/// Everything is kept as offsets into the body (which outlives the parser), so nothing is copied. Names and series
/// are looked up by a 64-bit FNV-1a hash and confirmed by comparing bytes. Each check returns the reason (or
/// <see cref="ParseErrorReason.None"/>) and the body offset to blame; <see cref="ErrorLine"/> says which line, which
/// for rules that only the end of a histogram point can settle is an earlier line than the current one.
/// <para>
/// Not thread-safe: one parser at a time. A caller that parses every scrape passes the same instance to each
/// <see cref="TextParser"/> so that steady-state parsing allocates nothing.
/// </para>
/// </remarks>
internal sealed partial class OpenMetricsFamilies
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly List<(int Start, int Length)> _families = [];
    private readonly Dictionary<ulong, int> _familyIndex = [];
    private readonly Dictionary<ulong, (int FamilyStart, int FamilyLength, MetricSuffix Suffix)> _claims = [];
    private readonly Dictionary<ulong, (int Start, int Length, bool HasTimestamp, long Timestamp)> _series = [];
    // Metrics seen, by family: the family's offset and the labels' span (between the braces).
    private readonly Dictionary<ulong, (int FamilyStart, int LabelsStart, int LabelsEnd)> _metrics = [];

    // The current family: -1 before the first.
    private int _familyStart = -1;
    private int _familyLength;
    private MetricType _type;
    private bool _hasType;
    private bool _hasHelp;
    private bool _hasUnit;
    private bool _hasSamples;
    private bool _claimed;
    private int _unitLength;
    private LineRef _familyLine;

    /// <summary>Forgets the last body, keeping the tables' capacity.</summary>
    public OpenMetricsFamilies Reset()
    {
        _families.Clear();
        _familyIndex.Clear();
        _claims.Clear();
        _series.Clear();
        _metrics.Clear();
        _familyStart = -1;
        _metricOpen = false;
        ResetPoint();
        return this;
    }

    /// <summary>The line the last error is about.</summary>
    public LineRef ErrorLine { get; private set; }

    /// <summary>A HELP, TYPE or UNIT line for <paramref name="nameStart"/>..; <paramref name="unitLength"/> for UNIT.</summary>
    public ParseErrorReason Descriptor(
        ReadOnlySpan<byte> body, LineRef line, EntryKind kind, int nameStart, int nameLength, MetricType type, int unitStart, int unitLength, out int at)
    {
        ErrorLine = line;
        at = nameStart;
        ReadOnlySpan<byte> name = body.Slice(nameStart, nameLength);
        if (_familyStart < 0 || !name.SequenceEqual(Family(body)))
        {
            ParseErrorReason started = StartFamily(body, line, nameStart, nameLength, out at);
            if (started != ParseErrorReason.None)
            {
                return started;
            }
        }
        else if (_hasSamples)
        {
            at = line.Start;
            return ParseErrorReason.MetadataAfterSamples;
        }

        ref bool seen = ref kind == EntryKind.Help ? ref _hasHelp : ref kind == EntryKind.Type ? ref _hasType : ref _hasUnit;
        if (seen)
        {
            at = line.Start;
            return ParseErrorReason.DuplicateMetadata;
        }

        seen = true;
        if (kind == EntryKind.Unit)
        {
            // "If non-empty, it MUST be a suffix of the MetricFamily name separated by an underscore."
            _unitLength = unitLength;
            ReadOnlySpan<byte> unit = body.Slice(unitStart, unitLength);
            if (unitLength > 0 && (name.Length <= unitLength || !name.EndsWith(unit) || name[^(unitLength + 1)] != '_'))
            {
                at = unitStart;
                return ParseErrorReason.UnitNotSuffix;
            }
        }
        else if (kind == EntryKind.Type)
        {
            _type = type;
            ParseErrorReason clash = Claim(body, out at);
            if (clash != ParseErrorReason.None)
            {
                return clash;
            }
        }

        if (_unitLength > 0 && _type is MetricType.Info or MetricType.StateSet)
        {
            at = line.Start;
            return ParseErrorReason.UnitNotAllowed;
        }

        return ParseErrorReason.None;
    }

    /// <summary>A sample line that the syntax checks accepted.</summary>
    public ParseErrorReason Sample(ReadOnlySpan<byte> body, LineRef line, in SampleLayout s, out int at)
    {
        ErrorLine = line;
        ReadOnlySpan<byte> name = body[s.NameStart..s.NameEnd];
        MetricSuffix suffix = _familyStart < 0 ? MetricSuffix.Foreign : Classify(name, Family(body));
        if (suffix == MetricSuffix.None && !Allows(_type, MetricSuffix.None))
        {
            // The family's own name where its type needs a suffix: "# TYPE foo counter" then "foo 1".
            at = s.NameEnd;
            return ParseErrorReason.InvalidSuffix;
        }

        if (suffix == MetricSuffix.Foreign || !Allows(_type, suffix))
        {
            // "The next MetricFamily MUST be signalled with either metadata or a new sample metric name which
            // cannot be part of the previous MetricFamily": a family of type unknown named as the sample.
            ParseErrorReason started = StartFamily(body, line, s.NameStart, name.Length, out at);
            if (started != ParseErrorReason.None)
            {
                return started;
            }

            suffix = MetricSuffix.None;
        }

        if (!_claimed)
        {
            ParseErrorReason clash = Claim(body, out at);
            if (clash != ParseErrorReason.None)
            {
                return clash;
            }
        }

        _hasSamples = true;
        // The labels' hash serves the series key and the Metric's, so the labels are hashed once.
        ulong labelsHash = QuickHash(body[LabelsStart(s)..LabelsEnd(s)]);
        ParseErrorReason reason = CheckSeries(body, s, labelsHash, out at);
        bool newPoint = false;
        if (reason == ParseErrorReason.None)
        {
            reason = CheckMetric(body, s, labelsHash, out newPoint, out at);
        }

        if (reason == ParseErrorReason.None)
        {
            reason = CheckPoint(body, line, s, suffix, newPoint, out at);
        }

        if (reason == ParseErrorReason.None && s.ExemplarStart >= 0 && !(suffix == MetricSuffix.Total
            || (suffix == MetricSuffix.Bucket && _type is MetricType.Histogram or MetricType.GaugeHistogram)))
        {
            // Counter: "Exemplars MAY be attached to the MetricPoint's Total sample"; histograms: "Bucket values MAY have exemplars".
            at = s.ExemplarStart;
            return ParseErrorReason.ExemplarNotAllowed;
        }

        return reason;
    }

    /// <summary>The end of the body (<c># EOF</c>): settles the last family.</summary>
    public ParseErrorReason End(ReadOnlySpan<byte> body, out int at) => CloseFamily(body, out at);

    private ReadOnlySpan<byte> Family(ReadOnlySpan<byte> body) => body.Slice(_familyStart, _familyLength);

    private ParseErrorReason StartFamily(ReadOnlySpan<byte> body, LineRef line, int start, int length, out int at)
    {
        ParseErrorReason closed = CloseFamily(body, out at);
        if (closed != ParseErrorReason.None)
        {
            return closed;
        }

        ErrorLine = line;
        at = start;
        ReadOnlySpan<byte> name = body.Slice(start, length);
        ulong hash = QuickHash(name);
        if (_familyIndex.TryGetValue(hash, out int index) && body.Slice(_families[index].Start, _families[index].Length).SequenceEqual(name))
        {
            return ParseErrorReason.DuplicateFamily;
        }

        _familyIndex.TryAdd(hash, _families.Count);
        _families.Add((start, length));
        _familyStart = start;
        _familyLength = length;
        _familyLine = line;
        _type = MetricType.Unknown;
        (_hasType, _hasHelp, _hasUnit, _hasSamples, _claimed, _unitLength) = (false, false, false, false, false, 0);

        // _series is not cleared: a series key starts with its sample name, which belongs to one family only, so keys
        // of different families never meet (and clearing a table grown by a large family costs its whole capacity).
        // _metrics neither: its entries name their family.
        _metricOpen = false;
        ResetPoint();
        return ParseErrorReason.None;
    }

    private ParseErrorReason CloseFamily(ReadOnlySpan<byte> body, out int at)
    {
        at = 0;
        if (_familyStart < 0)
        {
            return ParseErrorReason.None;
        }

        ParseErrorReason point = FinishPoint(out at);
        if (point != ParseErrorReason.None || _claimed)
        {
            return point;
        }

        // Metadata only: the family still owns its names.
        ErrorLine = _familyLine;
        return Claim(body, out at);
    }

    /// <summary>Reserves the sample names the current family can produce; a name another family reserved is a clash.</summary>
    private ParseErrorReason Claim(ReadOnlySpan<byte> body, out int at)
    {
        _claimed = true;
        at = _familyStart;
        ReadOnlySpan<byte> family = Family(body);
        for (var suffix = MetricSuffix.None; suffix < MetricSuffix.Foreign; suffix++)
        {
            if (!Allows(_type, suffix))
            {
                continue;
            }

            ReadOnlySpan<byte> text = Text(suffix);
            ulong hash = NameHash(family, text);
            if (_claims.TryGetValue(hash, out var other))
            {
                ReadOnlySpan<byte> otherFamily = body.Slice(other.FamilyStart, other.FamilyLength);
                if (other.FamilyStart != _familyStart && ConcatEquals(family, text, otherFamily, Text(other.Suffix)))
                {
                    return ParseErrorReason.FamilyNameClash;
                }

                continue;
            }

            _claims[hash] = (_familyStart, _familyLength, suffix);
        }

        return ParseErrorReason.None;
    }

    /// <summary>"Every Metric within a MetricFamily MUST have a unique LabelSet"; repeats are points with increasing timestamps.</summary>
    private ParseErrorReason CheckSeries(ReadOnlySpan<byte> body, in SampleLayout s, ulong labelsHash, out int at)
    {
        // NOTE: the key is the series as written, so the same labels in another order are not seen as a repeat.
        at = s.NameStart;
        ReadOnlySpan<byte> series = body[s.NameStart..s.SeriesEnd];
        ulong hash = labelsHash ^ (QuickHash(body[s.NameStart..s.NameEnd]) * FnvPrime);

        // One lookup: the slot is read, then overwritten with this sample.
        ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_series, hash, out bool exists);
        if (exists && body.Slice(seen.Start, seen.Length).SequenceEqual(series))
        {
            if (!s.HasTimestamp || !seen.HasTimestamp)
            {
                return ParseErrorReason.DuplicateSample;
            }

            if (s.Timestamp <= seen.Timestamp)
            {
                at = s.TimestampStart;
                return ParseErrorReason.TimestampNotIncreasing;
            }
        }

        seen = (s.NameStart, series.Length, s.HasTimestamp, s.Timestamp);
        return ParseErrorReason.None;
    }

    private static MetricSuffix Classify(ReadOnlySpan<byte> name, ReadOnlySpan<byte> family)
    {
        if (name.Length == family.Length)
        {
            return name.SequenceEqual(family) ? MetricSuffix.None : MetricSuffix.Foreign;
        }

        if (name.Length < family.Length + 4 || name[family.Length] != '_' || !name.StartsWith(family))
        {
            return MetricSuffix.Foreign;
        }

        ReadOnlySpan<byte> rest = name[family.Length..];
        for (var suffix = MetricSuffix.Total; suffix < MetricSuffix.Foreign; suffix++)
        {
            if (rest.SequenceEqual(Text(suffix)))
            {
                return suffix;
            }
        }

        return MetricSuffix.Foreign;
    }

    /// <summary>OpenMetrics 1.0 "Suffixes" for each type.</summary>
    private static bool Allows(MetricType type, MetricSuffix suffix) => type switch
    {
        MetricType.Counter => suffix is MetricSuffix.Total or MetricSuffix.Created,
        MetricType.Summary => suffix is MetricSuffix.None or MetricSuffix.Count or MetricSuffix.Sum or MetricSuffix.Created,
        MetricType.Histogram => suffix is MetricSuffix.Bucket or MetricSuffix.Count or MetricSuffix.Sum or MetricSuffix.Created,
        MetricType.GaugeHistogram => suffix is MetricSuffix.Bucket or MetricSuffix.GCount or MetricSuffix.GSum,
        MetricType.Info => suffix is MetricSuffix.Info,
        _ => suffix is MetricSuffix.None,
    };

    private static ReadOnlySpan<byte> Text(MetricSuffix suffix) => suffix switch
    {
        MetricSuffix.Total => "_total"u8,
        MetricSuffix.Created => "_created"u8,
        MetricSuffix.Count => "_count"u8,
        MetricSuffix.Sum => "_sum"u8,
        MetricSuffix.Bucket => "_bucket"u8,
        MetricSuffix.GCount => "_gcount"u8,
        MetricSuffix.GSum => "_gsum"u8,
        MetricSuffix.Info => "_info"u8,
        _ => default,
    };

    private static bool ConcatEquals(ReadOnlySpan<byte> a1, ReadOnlySpan<byte> a2, ReadOnlySpan<byte> b1, ReadOnlySpan<byte> b2)
    {
        if (a1.Length + a2.Length != b1.Length + b2.Length)
        {
            return false;
        }

        // Compare a1+a2 with b1+b2 without building either.
        int shorter = Math.Min(a1.Length, b1.Length);
        if (!a1[..shorter].SequenceEqual(b1[..shorter]))
        {
            return false;
        }

        return a1.Length <= b1.Length
            ? b1[shorter..].SequenceEqual(a2[..(b1.Length - shorter)]) && a2[(b1.Length - shorter)..].SequenceEqual(b2)
            : a1[shorter..].SequenceEqual(b2[..(a1.Length - shorter)]) && b2[(a1.Length - shorter)..].SequenceEqual(a2);
    }

    /// <summary>
    /// A 64-bit hash of one span, eight bytes per step (the per-sample series key; FNV's byte loop cost a third of
    /// the strict checks). Every hit is confirmed by comparing bytes, so a collision (negligible at 64 bits) can at
    /// worst hide a repeat, never report one that is not there.
    /// </summary>
    internal static ulong QuickHash(ReadOnlySpan<byte> data)
    {
        const ulong Prime1 = 0x87C37B91114253D5UL;
        const ulong Prime2 = 0x4CF5AD432745937FUL;
        ulong hash = 0x9E3779B97F4A7C15UL ^ (ulong)data.Length;
        while (data.Length >= 8)
        {
            hash = BitOperations.RotateLeft(hash ^ (BinaryPrimitives.ReadUInt64LittleEndian(data) * Prime1), 31) * Prime2;
            data = data[8..];
        }

        ulong tail = 0;
        for (int i = 0; i < data.Length; i++)
        {
            tail |= (ulong)data[i] << (8 * i);
        }

        hash = BitOperations.RotateLeft(hash ^ (tail * Prime1), 31) * Prime2;
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        return hash ^ (hash >> 33);
    }

    /// <summary>The hash of <paramref name="family"/> followed by <paramref name="suffix"/>, as of the one string they make.</summary>
    private static ulong NameHash(ReadOnlySpan<byte> family, ReadOnlySpan<byte> suffix)
    {
        const int StackNameBytes = 256;
        int length = family.Length + suffix.Length;
        if (length > StackNameBytes)
        {
            return Hash(family, suffix);
        }

        Span<byte> name = stackalloc byte[StackNameBytes];
        family.CopyTo(name);
        suffix.CopyTo(name[family.Length..]);
        return QuickHash(name[..length]);
    }

    /// <summary>FNV-1a, 64-bit, over <paramref name="a"/> then <paramref name="b"/>, so a name and a suffix hash as one string.</summary>
    internal static ulong Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ulong hash = FnvOffset;
        foreach (byte c in a)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        foreach (byte c in b)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }
}
