using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads conf.yaml's top-level <c>logs:</c>, as the Datadog Agent's Falco integration writes it
/// (<c>- type: file, path: /var/log/falco/events.json, source: falco, service: …</c>). Entries of <c>type: file</c>
/// become alert file inputs; other types and the Agent's log-processing keys are notices, never errors.
/// </summary>
internal static class LogInputReader
{
    public const string Key = "logs";

    private static readonly Dictionary<string, string> AgentOnlyKeys = new(StringComparer.Ordinal)
    {
        ["log_processing_rules"] = "alerts are forwarded whole; filter them with the log sinks' minimum_priority, rules, tags and sources",
        ["start_position"] = "a file is read from its start the first time, then from the saved offset",
        ["encoding"] = "Falco writes UTF-8",
        ["exclude_paths"] = "each path is one file",
        ["auto_multi_line_detection"] = "Falco writes one JSON alert per line",
        ["name"] = "not used",
        ["sourcecategory"] = "alerts carry ddsource falco and the entry's service and tags",
    };

    private const string OtherType = "is the Datadog Agent's; FalcoCheck follows type: file entries (Falco's file_output) and receives http_output with alerts.http";

    private static readonly TextOption<string> Type = Declare.Text("type", "`file` is followed as `alerts.files` are; other types are the Agent's (a notice)",
        "file", required: true);
    private static readonly TextOption<string> Path = Declare.FilePath("path", "Falco's `file_output` file", "/var/log/falco/events.json", required: true);
    private static readonly TextOption<string> Service = Declare.Text("service", "the alerts' `service`", "falco", "`alerts.service`");
    private static readonly TextOption<string> Source = Declare.Text("source", "always `falco` (Datadog's Falco log pipeline)", "falco");
    private static readonly TextOption<IReadOnlyList<string>> Tags = Declare.StringList("tags", "tags of these alerts (a comma-separated string also works)",
        "[team:security]", commas: true);

    /// <summary>One entry of <c>logs:</c>, as the Datadog Agent's log configuration has it.</summary>
    public static OptionSection Section { get; } = new(Key, "a mapping with type and path", [Type, Path, Service, Source, Tags])
    {
        DatadogOnly = AgentOnlyKeys,
        IsList = true,
    };

    public static IReadOnlyList<LogFileInput> Read(ConfigReadContext ctx, YamlNode? node)
    {
        var inputs = new List<LogFileInput>();
        if (YamlScalars.IsNull(node))
        {
            return inputs;
        }

        if (node is not YamlSequenceNode list)
        {
            ctx.Error(node!, Key, $"expected a list of log entries, got {YamlScalars.KindName(node!)}");
            return inputs;
        }

        for (int i = 0; i < list.Children.Count; i++)
        {
            YamlNode item = list.Children[i];
            string path = ValueReader.Index(Key, i);

            // Another type's entry (journald's include_units, tcp's port…) is one notice, not an error per key it has.
            if (ConfigMapping.Peek(item, Type.Name) is YamlScalarNode { Value: { Length: > 0 } written } typeNode
                && written != "file" && !EnvExpander.HasReference(written) && YamlScalars.Classify(typeNode) == ScalarKind.String)
            {
                ctx.Notice(typeNode, ValueReader.Child(path, Type.Name), $"type '{written}' {OtherType}");
                continue;
            }

            if (Section.Open(ctx, item, path, ctx.At(item)) is not { } map || Type.Read(map) is not { } type)
            {
                continue;
            }

            if (type != "file")
            {
                ctx.Notice(map.Get(Type.Name)!, map.PathOf(Type.Name), $"type '{type}' {OtherType}");
                continue;
            }

            if (Source.Read(map) is { } source && source != "falco")
            {
                ctx.Notice(map.Get(Source.Name)!, map.PathOf(Source.Name), "alert logs always carry ddsource falco (Datadog's Falco log pipeline)");
            }

            IReadOnlyList<string> tags = Tags.Read(map) ?? [];
            if (Path.Read(map) is { } file)
            {
                inputs.Add(new LogFileInput(file, Service.Read(map), tags, map.Position));
            }
        }

        return inputs;
    }
}
