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
    public const string MinimumPriorityKey = "minimum_priority";

    /// <summary>The routing keys, which every entry of <c>alerts.sinks</c> takes on top of its type's table.</summary>
    public static OptionSection Section { get; } = new("alerts.sinks.routing", "a mapping",
    [
        Declare.Text(MinimumPriorityKey, "alerts at or above this Falco priority (`emergency` … `debug`, or `info`); case is ignored", "warning", "`debug` (everything)"),
        Declare.StringList("rules", "only these rules (exact names)", "[Terminal shell in container]", "every rule"),
        Declare.StringList("tags", "only alerts whose rule has at least one of these tags", "[mitre_execution]", "every alert"),
        Declare.StringList("sources", "only these event sources (`syscall`, `k8s_audit`, a plugin's source)", "[syscall]", "every source"),
    ]) { IsList = true };

    public static IReadOnlyList<string> Keys => Section.Keys;

    /// <summary>The names <c>minimum_priority</c> accepts, in Falco's order (case is ignored, and <c>info</c> too).</summary>
    public static IReadOnlyList<string> PriorityNames { get; } =
        ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"];

    /// <summary>
    /// Reads and removes the routing keys of <paramref name="node"/> (a sink's mapping); <see cref="AlertRoute.All"/>
    /// when it has none. Errors are recorded in <paramref name="ctx"/> with the value's place.
    /// </summary>
    public static AlertRoute Take(ConfigReadContext ctx, YamlMappingNode node, string path)
    {
        var found = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach ((YamlNode key, YamlNode value) in node.Children.ToList())
        {
            if (key is YamlScalarNode { Value: { } name } && Keys.Contains(name))
            {
                found[name] = value;
                node.Children.Remove(key);
            }
            else if (key is YamlScalarNode { Value: { } near } && IsMinimumPriorityMisspelt(near))
            {
                // Falcosidekick's "minimumpriority" and near misses: the type's own key list could not suggest it.
                ctx.Error(key, ValueReader.Child(path, near), $"unknown setting '{near}'; did you mean '{MinimumPriorityKey}'?");
                node.Children.Remove(key);
            }
        }

        if (found.Count == 0)
        {
            return AlertRoute.All;
        }

        var route = new AlertRoute();
        if (found.TryGetValue(MinimumPriorityKey, out YamlNode? priorityNode))
        {
            string priorityPath = ValueReader.Child(path, MinimumPriorityKey);
            if (ValueReader.String(ctx, priorityNode, priorityPath) is { } text)
            {
                if (AlertPriorities.TryParse(text.Trim(), out FalcoPriority priority))
                {
                    route = route with { MinimumPriority = priority };
                }
                else
                {
                    ctx.Error(priorityNode, priorityPath,
                        $"unknown priority {ValueReader.Quote(text)}; expected one of {string.Join(", ", PriorityNames)} (Falco's priorities, highest first)");
                }
            }
        }

        return route with
        {
            Rules = List(ctx, found, path, "rules"),
            Tags = List(ctx, found, path, "tags"),
            Sources = List(ctx, found, path, "sources"),
        };
    }

    private static bool IsMinimumPriorityMisspelt(string key) =>
        string.Equals(key.Replace("_", string.Empty, StringComparison.Ordinal), "minimumpriority", StringComparison.OrdinalIgnoreCase)
        || KeySuggester.Distance(key.ToLowerInvariant(), MinimumPriorityKey) <= 2;

    private static HashSet<string>? List(ConfigReadContext ctx, Dictionary<string, YamlNode> found, string path, string key)
    {
        if (!found.TryGetValue(key, out YamlNode? node))
        {
            return null;
        }

        string keyPath = ValueReader.Child(path, key);
        IReadOnlyList<string>? items = ValueReader.StringList(ctx, node, keyPath);
        if (items is { Count: 0 })
        {
            // An empty list would match nothing: the sink would silently receive no alert at all.
            ctx.Error(node, keyPath, $"an empty list sends this sink nothing; list at least one, or remove {key} to send every alert");
            return null;
        }

        return items is null ? null : new HashSet<string>(items, StringComparer.Ordinal);
    }
}
