using FalcoCheck.Parsing;

namespace FalcoCheck.Mapping;

/// <summary>
/// Decides, once per distinct raw series, what it becomes: a falco.* metric with its tags, metadata, or nothing.
/// Runs only on a series-cache miss, so it favours clarity over speed.
/// </summary>
internal sealed class SeriesEntryFactory(MappingOptions options)
{
    private int _nextId;

    public SeriesEntry Create(string rawName, List<KeyValuePair<string, string>> labels, MetricType familyType, string? familyName)
    {
        var id = _nextId++;
        switch (rawName)
        {
            case FalcoMetricTable.VersionInfo:
                return new SeriesEntry(id, SeriesRole.Version, null, text: Find(labels, "version"));
            case FalcoMetricTable.StartTimestamp:
                return new SeriesEntry(id, SeriesRole.StartTimestamp, null);
            case FalcoMetricTable.ReloadTimestamp:
                return new SeriesEntry(id, SeriesRole.ReloadTimestamp, null);
        }

        var stripped = StripPrefix(rawName);
        if (IsExcluded(stripped, labels))
        {
            return Dropped(id);
        }

        var row = FalcoMetricTable.Find(rawName);
        string? engine = rawName == FalcoMetricTable.EngineNameInfo ? Find(labels, "engine_name") : null;
        var extra = FindExtra(stripped, familyType, familyName is null ? null : StripPrefix(familyName));

        // extra_metrics takes precedence over the built-in table, as in Datadog's check.
        if (extra.Matched)
        {
            return extra.Name is null
                ? Dropped(id)
                : new SeriesEntry(id, SeriesRole.Metric, BuildContext(extra.Name, extra.Kind, row?.Unit, labels), row?.PerEngine ?? false, engineName: engine);
        }

        if (row is null || Array.IndexOf(FalcoMetricTable.MetadataNames, rawName) >= 0)
        {
            return Dropped(id);
        }

        return new SeriesEntry(id, SeriesRole.Metric, BuildContext(row.Name, row.Kind, row.Unit, labels), row.PerEngine, engineName: engine);
    }

    public SeriesEntry Dropped() => Dropped(_nextId++);

    private static SeriesEntry Dropped(int id) => new(id, SeriesRole.Dropped, null);

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

    private SeriesContext BuildContext(string name, MetricKind kind, string? unit, List<KeyValuePair<string, string>> labels)
    {
        var tags = new List<string>(labels.Count + options.InstanceTags.Count);
        string? host = null;
        foreach (var (key, value) in labels)
        {
            if (options.HostnameLabel is { } hostLabel && key == hostLabel)
            {
                host = value;
            }

            if (FalcoMetricTable.IsDroppedLabel(key) || options.ExcludeLabels.Contains(key) ||
                (options.IncludeLabels.Count > 0 && !options.IncludeLabels.Contains(key)))
            {
                continue;
            }

            var tagName = options.RenameLabels.TryGetValue(key, out var renamed) ? renamed : FalcoMetricTable.RenameLabel(key);
            tags.Add(tagName + ":" + value);
        }

        tags.AddRange(options.InstanceTags);
        return new SeriesContext(name, kind, unit, [.. tags], host);
    }
}
