using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// The metric-selection options of an instance: <c>extra_metrics</c>, <c>exclude_metrics</c> and
/// <c>exclude_metrics_by_labels</c>, in the forms Datadog's OpenMetrics V2 accepts.
/// </summary>
internal static class MetricFilterReader
{
    public static IReadOnlyList<string> MetricTypes { get; } = ["gauge", "counter", "monotonic_count", "histogram", "summary"];

    // Types Datadog's V2 transformers know and FalcoCheck's mapper does not.
    private static readonly string[] DatadogOnlyTypes =
        ["rate", "metadata", "service_check", "temporal_percent", "time_elapsed", "monotonic_gauge", "native", "native_dynamic"];

    /// <summary>An extra_metrics entry written as a mapping: <c>{raw_name: {name, type}}</c>.</summary>
    private static readonly TextOption<string> SentName = Declare.Text("name", "the name to send it as (`falco.<name>`)", "<SENT_METRIC>");
    private static readonly TextOption<string> Type = Declare.OneOf("type", MetricTypes, null, "how to send it, whatever the endpoint says", "gauge");

    public static OptionSection Definition { get; } = new("extra_metrics.definition", "a mapping", [SentName, Type]);

    /// <summary><c>extra_metrics</c>, or another key of the same shape (V2's <c>metrics</c>).</summary>
    public static IReadOnlyList<ExtraMetric>? ReadExtraMetrics(ConfigMapping map, ConfigOption option)
    {
        YamlNode? node = map.Get(option.Name);
        if (node is not YamlSequenceNode list)
        {
            if (!YamlScalars.IsNull(node))
            {
                map.Context.Error(node!, map.PathOf(option.Name), $"expected a list of metric names or mappings, got {YamlScalars.KindName(node!)}");
            }

            return null;
        }

        var result = new List<ExtraMetric>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            YamlNode item = list.Children[i];
            string path = ValueReader.Index(map.PathOf(option.Name), i);
            switch (item)
            {
                case YamlMappingNode entries:
                    foreach ((YamlNode keyNode, YamlNode value) in entries.Children)
                    {
                        if (ValueReader.MappingKey(map.Context, keyNode, path) is { } raw
                            && ReadDefinition(map.Context, keyNode, raw, value, path) is { } metric)
                        {
                            result.Add(metric);
                        }
                    }

                    break;
                case YamlScalarNode when ValueReader.RequiredString(map.Context, item, path) is { } raw:
                    if (RegexCheck(map.Context, item, path, raw))
                    {
                        result.Add(new ExtraMetric(raw, RegexValidator.LooksLikeRegex(raw), null, null));
                    }

                    break;
                case YamlScalarNode:
                    break; // RequiredString recorded the error.
                default:
                    map.Context.Error(item, path, $"expected a metric name or a mapping, got {YamlScalars.KindName(item)}");
                    break;
            }
        }

        return result;
    }

    /// <summary>Exact names or regular expressions; every entry must compile, since any may be used as a pattern.</summary>
    public static IReadOnlyList<string>? ReadExcludeMetrics(ConfigMapping map)
    {
        if (map.StringItems(InstanceConfigReader.ExcludeMetrics.Name) is not { } patterns)
        {
            return null;
        }

        bool ok = true;
        foreach ((string text, YamlNode node, string path) in patterns)
        {
            ok &= RegexCheck(map.Context, node, path, text);
        }

        return ok ? [.. patterns.Select(p => p.Text)] : null;
    }

    /// <summary><c>label: true</c> (every value) or <c>label: [values]</c>.</summary>
    public static IReadOnlyDictionary<string, LabelValueFilter>? ReadExcludeMetricsByLabels(ConfigMapping map)
    {
        YamlNode? node = map.Get(InstanceConfigReader.ExcludeMetricsByLabels.Name);
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        string path = map.PathOf(InstanceConfigReader.ExcludeMetricsByLabels.Name);
        if (node is not YamlMappingNode mapping)
        {
            map.Context.Error(node!, path, $"expected a mapping of label names to true or a list of values, got {YamlScalars.KindName(node!)}");
            return null;
        }

        var result = new Dictionary<string, LabelValueFilter>(StringComparer.Ordinal);
        int errors = map.Context.ErrorCount;
        foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
        {
            if (ValueReader.MappingKey(map.Context, keyNode, path) is not { } label)
            {
                continue;
            }

            string labelPath = ValueReader.Child(path, label);
            if (value is YamlSequenceNode)
            {
                if (ValueReader.StringList(map.Context, value, labelPath) is { } values)
                {
                    result[label] = new LabelValueFilter(false, values);
                }
            }
            else if (value is YamlScalarNode scalar && YamlScalars.Classify(scalar) == ScalarKind.Bool && scalar.Value is "true" or "True" or "TRUE")
            {
                result[label] = new LabelValueFilter(true, []);
            }
            else
            {
                // `false` would silently match nothing; it is more likely a misunderstanding than a wish.
                map.Context.Error(value, labelPath, $"expected true (every value) or a list of label values, got {YamlScalars.KindName(value)}");
            }
        }

        return map.Context.ErrorCount == errors ? result : null;
    }

    private static ExtraMetric? ReadDefinition(ConfigReadContext ctx, YamlNode keyNode, string raw, YamlNode value, string path)
    {
        string metricPath = ValueReader.Child(path, raw);
        if (!RegexCheck(ctx, keyNode, metricPath, raw))
        {
            return null;
        }

        bool isRegex = RegexValidator.LooksLikeRegex(raw);
        switch (value)
        {
            case YamlScalarNode when YamlScalars.IsNull(value):
                ctx.Error(ConfigMapping.IsEmpty(value) ? keyNode : value, metricPath, "expected the name to send it as, or a mapping with name and/or type");
                return null;
            case YamlScalarNode:
                string? name = ValueReader.String(ctx, value, metricPath);
                return name is null ? null : new ExtraMetric(raw, isRegex, name, null);
            case YamlMappingNode:
                int errors = ctx.ErrorCount;
                ConfigMapping? definition = Definition.Open(ctx, value, metricPath, ctx.At(value));
                if (definition is null)
                {
                    return null;
                }

                // After an unknown key (a typo of name or type) that message says enough.
                if (!definition.Has(SentName.Name) && !definition.Has(Type.Name) && ctx.ErrorCount == errors)
                {
                    ctx.Error(value, metricPath, "expected a mapping with name and/or type");
                    return null;
                }

                string? sentName = SentName.Read(definition);
                string? type = ReadType(definition);
                return ctx.ErrorCount == errors ? new ExtraMetric(raw, isRegex, sentName, type) : null;
            default:
                ctx.Error(value, metricPath, $"expected the name to send it as, or a mapping with name and/or type, got {YamlScalars.KindName(value)}");
                return null;
        }
    }

    private static string? ReadType(ConfigMapping definition)
    {
        if (definition.Get(Type.Name) is YamlScalarNode { Value: { } text } && DatadogOnlyTypes.Contains(text, StringComparer.Ordinal))
        {
            definition.Error(Type.Name, $"'{text}' is a Datadog metric type FalcoCheck does not support; expected one of {string.Join(", ", MetricTypes)}");
            return null;
        }

        return Type.Read(definition);
    }

    private static bool RegexCheck(ConfigReadContext ctx, YamlNode node, string path, string pattern) =>
        !RegexValidator.LooksLikeRegex(pattern) || RegexValidator.TryCompile(ctx, node, path, pattern) is not null;
}
