using FalcoCheck.Sinks;

namespace FalcoCheck.Mapping;

/// <summary>
/// What FalcoCheck derives from a scrape beyond the raw series (extended_metrics): uptimes from Falco's nanosecond
/// timestamps, blindness ratios per interval, a stall signal, and rules/config file drift. One per instance: it
/// remembers file hashes between runs.
/// </summary>
internal sealed class FalcoSignals
{
    /// <summary>Name of the event sent when a rules or config file changes (an event, not a metric).</summary>
    public const string DriftEvent = "falco.rules.file.changed";

    /// <summary>Every metric this class can submit (the README's table and the dashboards are checked against it).</summary>
    public static readonly (string Name, MetricKind Kind)[] Metrics =
    [
        ("falco.uptime", MetricKind.Gauge),
        ("falco.seconds_since_reload", MetricKind.Gauge),
        ("falco.host.uptime", MetricKind.Gauge),
        ("falco.scap.drop.ratio", MetricKind.Gauge),
        ("falco.scap.drop.category.ratio", MetricKind.Gauge),
        ("falco.scap.stalled", MetricKind.Gauge),
        ("falco.outputs.queue.drop.ratio", MetricKind.Gauge),
        ("falco.rules.files.changed", MetricKind.MonotonicCount),
    ];

    private const double NanosecondsPerSecond = 1e9;
    private readonly Dictionary<string, string> _hashes;
    private readonly Dictionary<string, long> _changes = new(StringComparer.Ordinal);

    public FalcoSignals()
        : this(new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }

    /// <param name="hashes">Where the file hashes are remembered: the instance's counter state, saved with it.</param>
    public FalcoSignals(Dictionary<string, string> hashes)
    {
        _hashes = hashes;
    }

    /// <summary>Adds the derived gauges, counts and events for one run.</summary>
    /// <param name="points">The run's points, counts already turned into increases.</param>
    public void Derive(ScrapeFacts facts, IReadOnlyList<MappedSample> samples, List<MetricPoint> points, List<FalcoEvent> events, DerivedContext context)
    {
        var nowNs = context.Timestamp * 1_000_000_000L;
        AddAge(points, "falco.uptime", facts.StartTimestampNs, nowNs, context);
        AddAge(points, "falco.seconds_since_reload", facts.ReloadTimestampNs, nowNs, context);
        AddAge(points, "falco.host.uptime", facts.BootTimestampNs, nowNs, context);
        AddRatios(points, context);
        AddDrift(samples, points, events, context);
    }

    private static void AddAge(List<MetricPoint> points, string name, long? sinceNs, long nowNs, DerivedContext context)
    {
        if (sinceNs is { } since)
        {
            // Never the raw 1.7e18: seconds, and never negative when clocks disagree a little.
            var seconds = Math.Max(0, (nowNs - since) / NanosecondsPerSecond);
            points.Add(context.Gauge(name, Math.Round(seconds, 3), "second", context.BaseTags));
        }
    }

    /// <summary>Drop ratios per capture engine and per drop category, the output queue's drop ratio, and stalls.</summary>
    private static void AddRatios(List<MetricPoint> points, DerivedContext context)
    {
        var byEngine = new Dictionary<string, EngineCounts>(StringComparer.Ordinal);
        double queueDrops = 0, matches = 0;
        bool sawQueue = false;
        foreach (var point in points)
        {
            if (point.Kind != MetricKind.MonotonicCount)
            {
                continue;
            }

            switch (point.Name)
            {
                case FalcoMetricTable.OutputsQueueDrops:
                    queueDrops += point.Value;
                    sawQueue = true;
                    continue;
                case RuleCap.MatchesName:
                    matches += point.Value;
                    continue;
            }

            var category = DropCategory(point.Name);
            if (category is null && point.Name != FalcoMetricTable.ScapEvents && point.Name != FalcoMetricTable.ScapDrops)
            {
                continue;
            }

            var engine = EngineOf(point.Tags);
            if (!byEngine.TryGetValue(engine, out var counts))
            {
                counts = new EngineCounts();
                byEngine.Add(engine, counts);
            }

            if (point.Name == FalcoMetricTable.ScapEvents)
            {
                counts.Events += point.Value;
                counts.HasEvents = true;
            }
            else if (point.Name == FalcoMetricTable.ScapDrops)
            {
                counts.Drops += point.Value;
            }
            else
            {
                counts.Categories[category!] = counts.Categories.GetValueOrDefault(category!) + point.Value;
            }
        }

        foreach (var (engine, counts) in byEngine)
        {
            if (!counts.HasEvents)
            {
                continue;
            }

            var tags = engine.Length == 0 ? context.BaseTags : [engine, .. context.BaseTags];
            // Events stopped while Falco kept running (no restart, the interval elapsed): Falco is blind.
            points.Add(context.Gauge("falco.scap.stalled", counts.Events == 0 && !context.Restarted ? 1 : 0, null, tags));
            if (counts.Events > 0)
            {
                points.Add(context.Gauge("falco.scap.drop.ratio", counts.Drops / counts.Events, "fraction", tags));
                foreach (var (category, drops) in counts.Categories)
                {
                    points.Add(context.Gauge("falco.scap.drop.category.ratio", drops / counts.Events, "fraction", [.. tags, "category:" + category]));
                }
            }
        }

        if (sawQueue && (matches > 0 || queueDrops == 0))
        {
            points.Add(context.Gauge("falco.outputs.queue.drop.ratio", matches > 0 ? Math.Min(1, queueDrops / matches) : 0, "fraction", context.BaseTags));
        }
    }

    private static string? DropCategory(string name) => name switch
    {
        "falco.scap.n.drops.buffer.count" => "buffer",
        "falco.scap.n.drops.scratch.map.count" => "scratch_map",
        "falco.scap.n.drops.page.faults.count" => "page_faults",
        "falco.scap.n.drops.bug.count" => "bug",
        "falco.scap.n.drops.full.threadtable.count" => "full_threadtable",
        _ => null,
    };

    private static string EngineOf(string[] tags)
    {
        foreach (var tag in tags)
        {
            if (tag.StartsWith("engine_name:", StringComparison.Ordinal))
            {
                return tag;
            }
        }

        return string.Empty;
    }

    /// <summary>A changed sha256 of a rules or config file: an event, and <c>falco.rules.files.changed</c> per file.</summary>
    private void AddDrift(IReadOnlyList<MappedSample> samples, List<MetricPoint> points, List<FalcoEvent> events, DerivedContext context)
    {
        foreach (var sample in samples)
        {
            var kind = sample.Context.Name switch
            {
                "falco.sha256.rules.files" => "rules",
                "falco.sha256.config.files" => "config",
                _ => null,
            };
            if (kind is null || TagValue(sample.Context.Tags, "file_name:") is not { } file || TagValue(sample.Context.Tags, "sha256:") is not { } hash)
            {
                continue;
            }

            var key = kind + "|" + file;
            var changed = _hashes.TryGetValue(key, out var previous) && previous != hash;
            var known = previous is not null;
            _hashes[key] = hash;
            if (!known)
            {
                continue;
            }

            string[] tags = ["file_name:" + file, "file_kind:" + kind, .. context.BaseTags];
            // Backends that keep counters cumulative (remote write, OTLP) get the total since FalcoCheck started.
            var total = _changes.GetValueOrDefault(key) + (changed ? 1 : 0);
            _changes[key] = total;
            points.Add(new MetricPoint("falco.rules.files.changed", MetricKind.MonotonicCount, changed ? 1 : 0, context.Timestamp, context.IntervalSeconds, context.Host, tags, null)
            {
                Cumulative = total,
            });
            if (changed)
            {
                events.Add(new FalcoEvent(
                    DriftEvent,
                    $"{kind} file {file} changed on host {context.Host}",
                    $"The sha256 of Falco's {kind} file {file} on {context.Host} ({context.Instance}) changed: {previous} → {hash}.",
                    context.Timestamp,
                    context.Host,
                    tags,
                    "warning"));
            }
        }
    }

    private static string? TagValue(string[] tags, string prefix)
    {
        foreach (var tag in tags)
        {
            if (tag.StartsWith(prefix, StringComparison.Ordinal))
            {
                return tag[prefix.Length..];
            }
        }

        return null;
    }

    private sealed class EngineCounts
    {
        public double Events { get; set; }

        public bool HasEvents { get; set; }

        public double Drops { get; set; }

        public Dictionary<string, double> Categories { get; } = new(StringComparer.Ordinal);
    }
}
