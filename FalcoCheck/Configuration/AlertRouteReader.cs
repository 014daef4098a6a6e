using FalcoCheck.Alerts;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Reads the routing settings every entry of <c>alerts.sinks</c> accepts, whatever its type: <c>minimum_priority</c>,
/// <c>rules</c>, <c>tags</c> and <c>sources</c>. They are taken out of the entry before its type's reader opens it,
/// so each sink type lists only its own keys and a new type gets routing without a line of its own.
/// </summary>
internal static class AlertRouteReader
{
    private static readonly TextOption<string> MinimumPriority = Declare.Text("minimum_priority",
        "alerts at or above this Falco priority (`emergency` … `debug`, or `info`); case is ignored", "warning", "`debug` (everything)");
    private static readonly TextOption<IReadOnlyList<string>> Rules = Declare.StringList("rules", "only these rules (exact names)", "[Terminal shell in container]", "every rule");
    private static readonly TextOption<IReadOnlyList<string>> Tags = Declare.StringList("tags", "only alerts whose rule has at least one of these tags", "[mitre_execution]", "every alert");
    private static readonly TextOption<IReadOnlyList<string>> Sources = Declare.StringList("sources",
        "only these event sources (`syscall`, `k8s_audit`, a plugin's source)", "[syscall]", "every source");

    /// <summary>The routing keys, which every entry of <c>alerts.sinks</c> takes on top of its type's table.</summary>
    public static OptionSection Section { get; } = new("alerts.sinks.routing", "a mapping", [MinimumPriority, Rules, Tags, Sources]) { IsList = true };

    /// <summary>The names <c>minimum_priority</c> accepts, in Falco's order (case is ignored, and <c>info</c> too).</summary>
    public static IReadOnlyList<string> PriorityNames { get; } =
        ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"];

    /// <summary>
    /// Reads and removes the routing keys of <paramref name="node"/> (a sink's mapping); <see cref="AlertRoute.All"/>
    /// when it has none. Errors are recorded in <paramref name="ctx"/> with the value's place.
    /// </summary>
    public static AlertRoute Take(ConfigReadContext ctx, YamlMappingNode node, string path)
    {
        var found = new YamlMappingNode();
        foreach ((YamlNode key, YamlNode value) in node.Children.ToList())
        {
            if (key is YamlScalarNode { Value: { } name } && Section.Keys.Contains(name))
            {
                found.Add(key, value);
                node.Children.Remove(key);
            }
            else if (key is YamlScalarNode { Value: { } near } && IsMinimumPriorityMisspelt(near))
            {
                // Falcosidekick's "minimumpriority" and near misses: the type's own key list could not suggest it.
                ctx.Error(key, ValueReader.Child(path, near), $"unknown setting '{near}'; did you mean '{MinimumPriority}'?");
                node.Children.Remove(key);
            }
        }

        // Only known keys were taken, so the mapping opens without errors; each value is then read through its option.
        if (found.Children.Count == 0 || Section.Open(ctx, found, path, ctx.At(node)) is not { } map)
        {
            return AlertRoute.All;
        }

        var route = new AlertRoute();
        if (MinimumPriority.Read(map) is { } text)
        {
            if (AlertPriorities.TryParse(text.Trim(), out FalcoPriority priority))
            {
                route = route with { MinimumPriority = priority };
            }
            else
            {
                map.Error(MinimumPriority.Name,
                    $"unknown priority {ValueReader.Quote(text)}; expected one of {string.Join(", ", PriorityNames)} (Falco's priorities, highest first)");
            }
        }

        return route with { Rules = List(map, Rules), Tags = List(map, Tags), Sources = List(map, Sources) };
    }

    private static bool IsMinimumPriorityMisspelt(string key) =>
        string.Equals(key.Replace("_", string.Empty, StringComparison.Ordinal), "minimumpriority", StringComparison.OrdinalIgnoreCase)
        || KeySuggester.Distance(key.ToLowerInvariant(), MinimumPriority.Name) <= 2;

    private static HashSet<string>? List(ConfigMapping map, TextOption<IReadOnlyList<string>> option)
    {
        IReadOnlyList<string>? items = option.Read(map);
        if (items is { Count: 0 })
        {
            // An empty list would match nothing: the sink would silently receive no alert at all.
            map.Error(option.Name, $"an empty list sends this sink nothing; list at least one, or remove {option} to send every alert");
            return null;
        }

        return items is null ? null : new HashSet<string>(items, StringComparer.Ordinal);
    }
}
