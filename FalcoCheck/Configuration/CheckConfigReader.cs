using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Binds conf.yaml's root (<c>init_config</c> and <c>instances</c>). Each instance is read on its own: an instance
/// with errors is left out, and the others still load.
/// </summary>
internal static class CheckConfigReader
{
    /// <summary>conf.yaml's root.</summary>
    public static OptionSection Section { get; } = new("conf.yaml", "a mapping with init_config and instances",
    [
        Declare.Nested(InitConfigReader.Section.Name, "options of every instance (see `init_config`)", "{}", () => InitConfigReader.Section),
        Declare.Nested(InstanceConfigReader.Section.Name, "the endpoints to scrape (see `instances`)", "\n  - openmetrics_endpoint: http://localhost:8765/metrics",
            () => InstanceConfigReader.Section, OptionKind.List, "list of mappings"),
        Declare.Nested(LogInputReader.Key, "Falco's alert files, as the Datadog Agent's `logs:` (see `logs`)",
            "\n  - type: file\n    path: /var/log/falco/events.json", () => LogInputReader.Section, OptionKind.List, "list of mappings"),
    ])
    {
        DatadogOnly = DatadogOnlyOptions.CheckFile,
        TopLevel = true,
    };

    public static CheckConfig Read(ConfigReadContext ctx, YamlNode? root)
    {
        ConfigMapping? map = Section.Open(ctx, root, string.Empty, ctx.At(1, 1));
        if (map is null)
        {
            return new CheckConfig(ctx.File, InitConfig.Default, [], ctx.ErrorsInFileOrder(), 0) { Notices = ctx.NoticesInFileOrder() };
        }

        InitConfig init = InitConfigReader.Read(ctx, map.Get(InitConfigReader.Section.Name), map.Position, out YamlNode? initTimeout);
        YamlNode? instancesNode = map.Get(InstanceConfigReader.Section.Name);
        var instances = new List<InstanceConfig>();
        int declared = 0;
        switch (instancesNode)
        {
            case YamlSequenceNode { Children.Count: > 0 } list:
                declared = list.Children.Count;
                for (int i = 0; i < list.Children.Count; i++)
                {
                    if (InstanceConfigReader.Read(ctx, list.Children[i], i, init, initTimeout) is { } instance)
                    {
                        instances.Add(instance);
                    }
                }

                break;
            case YamlSequenceNode or null:
            case YamlScalarNode when YamlScalars.IsNull(instancesNode):
                ctx.Error(map.PositionOf(InstanceConfigReader.Section.Name), InstanceConfigReader.Section.Name,
                    "no instances; add at least one with openmetrics_endpoint: http://localhost:8765/metrics");
                break;
            default:
                ctx.Error(instancesNode, InstanceConfigReader.Section.Name, $"expected a list of instances, got {YamlScalars.KindName(instancesNode)}");
                break;
        }

        IReadOnlyList<LogFileInput> logFiles = LogInputReader.Read(ctx, map.Get(LogInputReader.Key));
        return new CheckConfig(ctx.File, init, instances, ctx.ErrorsInFileOrder(), declared) { Notices = ctx.NoticesInFileOrder(), LogFiles = logFiles };
    }
}
