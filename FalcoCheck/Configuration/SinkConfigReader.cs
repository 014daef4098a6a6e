using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads the agent's <c>sinks:</c> list: each entry's <c>type</c> chooses its option table
/// (<see cref="SinkListReader"/>) and its record; console and file here, the metrics backends in
/// <see cref="MetricsSinkConfigReader"/>.
/// </summary>
internal static class SinkConfigReader
{
    private static readonly TextOption<string> Format = Declare.OneOf("format", ["table", "json"], "table", "`table` (for people) or `json` (one object per line)");

    /// <summary>The file of a file sink, metrics and alert logs alike.</summary>
    public static readonly TextOption<string> Path = Declare.FilePath("path", "the file, appended to; relative to falcocheck.yaml", "out/falco.jsonl", required: true);

    public static OptionSection Console { get; } = SinkListReader.Section("sinks", ConsoleSinkConfig.TypeName, "print each batch", [Format]);

    public static OptionSection File { get; } = SinkListReader.Section("sinks", FileSinkConfig.TypeName, "append each batch to a file, as JSON lines", [Path]);

    public static IReadOnlyList<OptionSection> Types { get; } =
        [Console, File, MetricsSinkConfigReader.Datadog, MetricsSinkConfigReader.DogStatsD, MetricsSinkConfigReader.RemoteWrite, MetricsSinkConfigReader.Otlp];

    /// <summary>
    /// Returns null when <c>sinks</c> is absent (the caller's default applies) or after errors. An explicit empty
    /// list means "no sinks": one-shot <c>check</c> runs that only print their result (and tests) use it.
    /// </summary>
    public static IReadOnlyList<SinkConfig>? ReadList(ConfigReadContext ctx, YamlNode? node, string path, AgentDefaults defaults)
    {
        int errors = ctx.ErrorCount;
        var sinks = SinkListReader.ReadList(ctx, node, path, emptyError: null,
            (entry, at) => SinkListReader.Read(ctx, entry, at, Types, "sink type", (map, type) => Read(map, type, defaults)));
        return ctx.ErrorCount == errors ? sinks : null;
    }

    private static SinkConfig? Read(ConfigMapping map, string type, AgentDefaults defaults) => type switch
    {
        ConsoleSinkConfig.TypeName => new ConsoleSinkConfig(map.Position, Format.Read(map) == "json" ? ConsoleFormat.Json : ConsoleFormat.Table),
        FileSinkConfig.TypeName => Path.Read(map) is { } file ? new FileSinkConfig(map.Position, file) : null,
        DatadogSinkConfig.TypeName => MetricsSinkConfigReader.ReadDatadog(map, defaults),
        DogStatsDSinkConfig.TypeName => MetricsSinkConfigReader.ReadDogStatsD(map),
        RemoteWriteSinkConfig.TypeName => MetricsSinkConfigReader.ReadRemoteWrite(map),
        _ => MetricsSinkConfigReader.ReadOtlp(map),
    };
}
