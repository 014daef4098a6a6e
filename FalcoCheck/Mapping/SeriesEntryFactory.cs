using System.Runtime.InteropServices;
using FalcoCheck.Parsing;

namespace FalcoCheck.Mapping;

/// <summary>
/// Decides, once per distinct raw series, what it becomes: a falco.* metric with its tags, metadata, or nothing.
/// Runs only on a series-cache miss, so it favours clarity over speed.
/// </summary>
/// <remarks>
/// Label filters (<c>exclude_labels</c>, <c>include_labels</c>, <c>rename_labels</c>) can give two raw series the same
/// name and tags: both get the one <see cref="SeriesContext"/> object, so that the mapper, which tells contexts apart
/// by reference, sends one value for them (their sum, see <see cref="FalcoMapper"/>).
/// </remarks>
internal sealed class SeriesEntryFactory(MappingOptions options)
{
    // Every context built, by content (name, kind, unit, host, tags): at most MaxCachedSeries, as the series cache.
    private readonly Dictionary<SeriesContext, SeriesContext> _contexts = new(SameContext.Instance);

    // Past that, the contexts built in the current scrape (EndScrape empties it): two raw series that label rules merge
    // still get one context object in a scrape, so the mapper sums them instead of sending one context twice.
    private Dictionary<SeriesContext, SeriesContext>? _scrapeContexts;

    public SeriesEntry Create(string rawName, List<KeyValuePair<string, string>> labels, MetricType familyType, string? familyName, bool helpSaysDeprecated = false)
    {
        switch (rawName)
        {
            case FalcoMetricTable.VersionInfo:
                return new SeriesEntry(SeriesRole.Version, null, text: Find(labels, "version"));
            case FalcoMetricTable.StartTimestamp:
                return new SeriesEntry(SeriesRole.StartTimestamp, null);
            case FalcoMetricTable.ReloadTimestamp:
                return new SeriesEntry(SeriesRole.ReloadTimestamp, null);
            case FalcoMetricTable.BootTimestamp:
                return new SeriesEntry(SeriesRole.BootTimestamp, null);
        }

        // Filters see the name as the endpoint writes it (minus raw_metric_prefix); the table sees the newest naming.
        var stripped = StripPrefix(rawName);
        if (IsExcluded(stripped, labels))
        {
            return Dropped();
        }

        var extra = FindExtra(stripped, familyType, familyName is null ? null : StripPrefix(familyName));
        var canonical = FalcoSeriesNormalizer.Normalize(rawName, labels, helpSaysDeprecated);
        if (canonical is null && !extra.Matched)
        {
            return Dropped();
        }

        canonical ??= rawName;
        var row = FalcoMetricTable.Find(canonical);
        var engine = canonical == FalcoMetricTable.EngineNameInfo ? Find(labels, "engine_name") : null;
        var info = canonical switch
        {
            FalcoMetricTable.KernelReleaseInfo => Find(labels, "kernel_release") is { } release ? "kernel_release:" + release : null,
            FalcoMetricTable.EventSourceInfo => Find(labels, "evt_source") is { } source ? "evt_source:" + source : null,
            _ => null,
        };

        // extra_metrics takes precedence over the built-in table, as in Datadog's check.
        if (extra.Matched)
        {
            return extra.Name is null
                ? Dropped()
                : new SeriesEntry(SeriesRole.Metric, BuildContext(extra.Name, extra.Kind, row?.Unit, labels), row?.PerEngine ?? false, engineName: engine) { InfoTag = info };
        }

        if (row is null)
        {
            return options.ExtendedMetrics && PluginMetricName(canonical, familyType) is { } plugin
                ? new SeriesEntry(SeriesRole.Metric, BuildContext(plugin.Name, plugin.Kind, null, labels, ("plugin", plugin.Plugin)))
                : Dropped();
        }

        if (row.Extended && !options.ExtendedMetrics)
        {
            return Dropped();
        }

        var context = BuildContext(row.Name, row.Kind, row.Unit, labels);
        var twin = row.GaugeTwin is { } twinName && options.ExtendedMetrics
            ? Shared(new SeriesContext(twinName, MetricKind.Gauge, row.Unit, context.Tags, context.Host))
            : null;
        return new SeriesEntry(SeriesRole.Metric, context, row.PerEngine, engineName: engine) { Twin = twin, InfoTag = info };
    }

    /// <summary>
    /// Plugin metrics (<c>falcosecurity_plugins_&lt;plugin&gt;_&lt;metric&gt;</c>): one falco.plugins.* name per metric,
    /// the plugin as a tag. Plugin names have no underscore; the metric is the rest.
    /// </summary>
    private static (string Name, MetricKind Kind, string Plugin)? PluginMetricName(string canonical, MetricType familyType)
    {
        const string prefix = "falcosecurity_plugins_";
        if (!canonical.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = canonical[prefix.Length..];
        var split = rest.IndexOf('_', StringComparison.Ordinal);
        if (split <= 0 || split == rest.Length - 1)
        {
            return null;
        }

        var metric = rest[(split + 1)..];
        var counter = familyType == MetricType.Counter;
        if (counter && metric.EndsWith("_total", StringComparison.Ordinal))
        {
            metric = metric[..^"_total".Length];
        }

        var name = "falco.plugins." + metric.Replace('_', '.') + (counter ? ".count" : string.Empty);
        return (name, counter ? MetricKind.MonotonicCount : MetricKind.Gauge, rest[..split]);
    }

    private static SeriesEntry Dropped() => new(SeriesRole.Dropped, null);

    private static string? Find(List<KeyValuePair<string, string>> labels, string name)
    {
        foreach (var (key, value) in labels)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    private string StripPrefix(string rawName) =>
        options.RawMetricPrefix is { Length: > 0 } prefix && rawName.StartsWith(prefix, StringComparison.Ordinal)
            ? rawName[prefix.Length..]
            : rawName;

    private bool IsExcluded(string name, List<KeyValuePair<string, string>> labels)
    {
        if (options.IncludeMetrics.Count > 0 && !IsIncluded(name))
        {
            return true;
        }

        foreach (var pattern in options.ExcludeMetrics)
        {
            if (pattern.IsMatch(name))
            {
                return true;
            }
        }

        foreach (var (key, value) in labels)
        {
            if (options.ExcludeMetricsByLabels.TryGetValue(key, out var values) && (values is null || values.Contains(value)))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsIncluded(string name)
    {
        foreach (var pattern in options.IncludeMetrics)
        {
            if (pattern.IsMatch(name))
            {
                return true;
            }
        }

        return false;
    }

    private (bool Matched, string? Name, MetricKind Kind) FindExtra(string sampleName, MetricType familyType, string? familyName)
    {
        foreach (var rule in options.ExtraMetrics)
        {
            var type = rule.TypeOverride switch
            {
                "gauge" => MetricType.Gauge,
                "counter" or "monotonic_count" => MetricType.Counter,
                "histogram" => MetricType.Histogram,
                "summary" => MetricType.Summary,
                _ => familyType,
            };
            var baseName = familyName ?? sampleName;
            if (type == MetricType.Counter && baseName.EndsWith("_total", StringComparison.Ordinal))
            {
                baseName = baseName[..^"_total".Length];
            }

            if (!rule.Match.IsMatch(baseName) && !rule.Match.IsMatch(sampleName))
            {
                continue;
            }

            var sent = FalcoMetricTable.Namespace + "." + (rule.SentName ?? baseName);
            return ExtraMetricNames.Resolve(sent, type, sampleName, baseName) is { } resolved
                ? (true, resolved.Name, resolved.Kind)
                : (true, null, default);
        }

        return (false, null, default);
    }

    private SeriesContext BuildContext(string name, MetricKind kind, string? unit, List<KeyValuePair<string, string>> labels, (string Key, string Value)? extraLabel = null)
    {
        var tags = new List<string>(labels.Count + options.InstanceTags.Count + 2);
        string? host = null;
        var mayMerge = false;
        if (extraLabel is { } extraTag)
        {
            tags.Add(extraTag.Key + ":" + extraTag.Value);
        }

        foreach (var (key, value) in labels)
        {
            if (options.HostnameLabel is { } hostLabel && key == hostLabel)
            {
                host = value;
            }

            if (FalcoMetricTable.IsDroppedLabel(key))
            {
                continue;
            }

            if (options.ExcludeLabels.Contains(key) || (options.IncludeLabels.Count > 0 && !options.IncludeLabels.Contains(key)))
            {
                // What told this raw series from another may be gone: the context may be a sum (see SeriesContext.MayMerge).
                // Not the hostname label: the host still tells them apart.
                mayMerge |= key != options.HostnameLabel;
                continue;
            }

            if (key.StartsWith("tag_", StringComparison.Ordinal) && value == "true" && !options.RenameLabels.ContainsKey(key))
            {
                RuleTags.Add(tags, key["tag_".Length..], options.RuleTags);
                continue;
            }

            var userRenamed = options.RenameLabels.TryGetValue(key, out var renamed);
            var tagName = userRenamed ? renamed! : FalcoMetricTable.RenameLabel(key);
            // Renamed onto a name another raw series has as its own label, two series can meet; not knowable here.
            mayMerge |= userRenamed && tagName != key;
            tags.Add(tagName + ":" + value);
            if (key == "priority" && RuleTags.PriorityName(value) is { } priorityName)
            {
                tags.Add("priority_name:" + priorityName);
            }
        }

        // The series' own tags are the same text on every instance: one shared copy each. The instance's tags are
        // already one copy per instance.
        for (var i = 0; i < tags.Count; i++)
        {
            tags[i] = SharedSeriesText.Tag(tags[i]);
        }

        tags.AddRange(options.InstanceTags);
        var context = Shared(new SeriesContext(name, kind, unit, [.. tags], host));
        if (mayMerge)
        {
            // On the shared one: another raw series may have built it without losing a label.
            context.MarkMayMerge();
        }

        return context;
    }

    /// <summary>The context already built with the same content, or <paramref name="context"/> (kept while there is room).</summary>
    private SeriesContext Shared(SeriesContext context)
    {
        if (_contexts.TryGetValue(context, out var existing))
        {
            return existing;
        }

        if (_contexts.Count < options.MaxCachedSeries)
        {
            _contexts.Add(context, context);
            return context;
        }

        ref var built = ref CollectionsMarshal.GetValueRefOrAddDefault(_scrapeContexts ??= new(SameContext.Instance), context, out _);
        return built ??= context;
    }

    /// <summary>Ends a scrape: forgets the contexts built past the cache.</summary>
    public void EndScrape() => _scrapeContexts?.Clear();

    /// <summary>Contexts equal by what a backend sees: name, kind, unit, host and the tags in any order.</summary>
    private sealed class SameContext : IEqualityComparer<SeriesContext>
    {
        public static readonly SameContext Instance = new();

        public bool Equals(SeriesContext? x, SeriesContext? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null || x.Kind != y.Kind || x.Tags.Length != y.Tags.Length || x.KeyHash != y.KeyHash
                || !string.Equals(x.Name, y.Name, StringComparison.Ordinal) || !string.Equals(x.Unit, y.Unit, StringComparison.Ordinal)
                || !string.Equals(x.Host, y.Host, StringComparison.Ordinal))
            {
                return false;
            }

            // The tags as sets (not the key text, where a tag holding a comma could pass for two); raw series with the
            // same content nearly always list them in the same order, so that is tried before sorting copies.
            if (x.Tags.AsSpan().SequenceEqual(y.Tags))
            {
                return true;
            }

            var a = (string[])x.Tags.Clone();
            var b = (string[])y.Tags.Clone();
            Array.Sort(a, StringComparer.Ordinal);
            Array.Sort(b, StringComparer.Ordinal);
            return a.AsSpan().SequenceEqual(b);
        }

        // KeyHash is computed once per context and kept; the key text is not.
        public int GetHashCode(SeriesContext obj) => obj.KeyHash;
    }
}
