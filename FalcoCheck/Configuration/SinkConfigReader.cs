using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads the agent's <c>sinks:</c> list. The sink record is chosen by a switch on <c>type</c> (no registry or
/// reflection, for NativeAOT); a new backend is one case, one record and its own key list here.
/// </summary>
internal static class SinkConfigReader
{
    private const string TypeKey = "type";

    public static IReadOnlyList<string> KnownTypes { get; } =
    [
        ConsoleSinkConfig.TypeName, FileSinkConfig.TypeName, DatadogSinkConfig.TypeName, DogStatsDSinkConfig.TypeName,
        RemoteWriteSinkConfig.TypeName, OtlpSinkConfig.TypeName,
    ];

    private static readonly string[] ConsoleKeys = [TypeKey, "format"];
    private static readonly string[] FileKeys = [TypeKey, "path"];

    private static readonly string[] ConsoleFormats = ["table", "json"];

    /// <summary>
    /// Returns null when <c>sinks</c> is absent (the caller's default applies) or after errors. An explicit empty
    /// list means "no sinks": one-shot <c>check</c> runs that only print their result (and tests) use it.
    /// </summary>
    public static IReadOnlyList<SinkConfig>? ReadList(ConfigReadContext ctx, YamlNode? node, string path, SinkDefaults? defaults = null)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            ctx.Error(node!, path, $"expected a list of sinks, got {YamlScalars.KindName(node!)}");
            return null;
        }

        int errors = ctx.ErrorCount;
        var sinks = new List<SinkConfig>(list.Children.Count);
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (Read(ctx, list.Children[i], ValueReader.Index(path, i), defaults) is { } sink)
            {
                sinks.Add(sink);
            }
        }

        return ctx.ErrorCount == errors ? sinks : null;
    }

    public static SinkConfig? Read(ConfigReadContext ctx, YamlNode node, string path, SinkDefaults? defaults = null)
    {
        if (node is not YamlMappingNode)
        {
            ctx.Error(node, path, $"expected a mapping with type, got {YamlScalars.KindName(node)}");
            return null;
        }

        string typePath = ValueReader.Child(path, TypeKey);
        YamlNode? typeNode = ConfigMapping.Peek(node, TypeKey);
        if (YamlScalars.IsNull(typeNode))
        {
            ctx.Error(typeNode ?? node, typePath, $"required setting is missing; expected one of {string.Join(", ", KnownTypes)}");
            return null;
        }

        string? type = ValueReader.String(ctx, typeNode, typePath);
        SourcePosition position = ctx.At(node);
        switch (type)
        {
            case null:
                return null;
            case ConsoleSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, ConsoleKeys) is { } console ? ReadConsole(console) : null;
            case FileSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, FileKeys) is { } file ? ReadFile(file) : null;
            case DatadogSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, MetricsSinkConfigReader.DatadogKeys) is { } datadog
                    ? MetricsSinkConfigReader.ReadDatadog(datadog, defaults ?? new SinkDefaults(null, AgentConfig.DefaultSite))
                    : null;
            case DogStatsDSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, MetricsSinkConfigReader.DogStatsDKeys) is { } dogstatsd
                    ? MetricsSinkConfigReader.ReadDogStatsD(dogstatsd)
                    : null;
            case RemoteWriteSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, MetricsSinkConfigReader.RemoteWriteKeys) is { } remoteWrite
                    ? MetricsSinkConfigReader.ReadRemoteWrite(remoteWrite)
                    : null;
            case OtlpSinkConfig.TypeName:
                return ConfigMapping.Open(ctx, node, path, position, MetricsSinkConfigReader.OtlpKeys) is { } otlp
                    ? MetricsSinkConfigReader.ReadOtlp(otlp)
                    : null;
            default:
                string? suggestion = KeySuggester.Suggest(type, KnownTypes);
                ctx.Error(typeNode!, typePath, $"unknown sink type {ValueReader.Quote(type)}; expected one of {string.Join(", ", KnownTypes)}"
                    + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
                return null;
        }
    }

    private static ConsoleSinkConfig? ReadConsole(ConfigMapping map)
    {
        int errors = map.Context.ErrorCount;
        ConsoleFormat format = map.OneOf("format", ConsoleFormats) switch
        {
            "json" => ConsoleFormat.Json,
            _ => ConsoleFormat.Table,
        };
        return map.Context.ErrorCount == errors ? new ConsoleSinkConfig(map.Position, format) : null;
    }

    private static FileSinkConfig? ReadFile(ConfigMapping map) =>
        map.Require("path") && map.FilePath("path") is { } path ? new FileSinkConfig(map.Position, path) : null;
}
