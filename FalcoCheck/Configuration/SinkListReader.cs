using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// The part of a <c>sinks:</c> list every kind of sink shares (metrics and alert logs): each entry's <c>type</c>
/// chooses its option table, and the entry is opened with that table's keys. The caller then builds the record with
/// a switch on the type (no registry or reflection, for NativeAOT).
/// </summary>
internal static class SinkListReader
{
    /// <summary>A sink type's table: its required <c>type</c> first, then its options.</summary>
    public static OptionSection Section(string list, string type, string doc, Func<IReadOnlyList<ConfigOption>> options) =>
        new($"{list}.{type}", "a mapping with type", () => [Declare.Text("type", doc, type, required: true), .. options()])
        {
            IsList = true, Type = type,
        };

    public static string TypeOf(OptionSection section) => section.Type!;

    /// <summary>
    /// The entries <paramref name="read"/> gives for a <c>sinks:</c> list; null when absent, or after an error when it is
    /// not a list (or empty, when <paramref name="emptyError"/> says why that is wrong).
    /// </summary>
    public static List<SinkConfig>? ReadList(ConfigReadContext ctx, YamlNode? node, string path, string? emptyError, Func<YamlNode, string, SinkConfig?> read)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode list || (list.Children.Count == 0 && emptyError is not null))
        {
            ctx.Error(node!, path, node is YamlSequenceNode ? emptyError! : $"expected a list of sinks, got {YamlScalars.KindName(node!)}");
            return null;
        }

        var sinks = new List<SinkConfig>(list.Children.Count);
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (read(list.Children[i], ValueReader.Index(path, i)) is { } sink)
            {
                sinks.Add(sink);
            }
        }

        return sinks;
    }

    /// <summary>
    /// One entry: opened with its type's table (<see cref="Open"/>), then built by <paramref name="build"/>, a switch on
    /// the type. Each type's reader records its errors and may still build a record; one with errors is dropped here.
    /// </summary>
    public static SinkConfig? Read(ConfigReadContext ctx, YamlNode node, string path, IReadOnlyList<OptionSection> types, string what,
        Func<ConfigMapping, string, SinkConfig?> build)
    {
        ConfigMapping? map = Open(ctx, node, path, types, what, out string type);
        int errors = ctx.ErrorCount;
        SinkConfig? sink = map is null ? null : build(map, type);
        return ctx.ErrorCount == errors ? sink : null;
    }

    /// <summary>
    /// Opens one entry (or any mapping whose <c>type</c> chooses its table, such as auth_token's reader) with its type's
    /// keys and gives the type; null after an error (not a mapping, no type, or an unknown one, with a "did you mean").
    /// <paramref name="datadogOnly"/> is a type Datadog has and FalcoCheck does not, named as such rather than unknown.
    /// </summary>
    public static ConfigMapping? Open(ConfigReadContext ctx, YamlNode node, string path, IReadOnlyList<OptionSection> types, string what, out string type,
        string? datadogOnly = null)
    {
        type = string.Empty;
        if (node is not YamlMappingNode)
        {
            ctx.Error(node, path, $"expected a mapping with type, got {YamlScalars.KindName(node)}");
            return null;
        }

        string typePath = ValueReader.Child(path, "type");
        YamlNode? typeNode = ConfigMapping.Peek(node, "type");
        var known = types.Select(TypeOf).ToList();
        if (YamlScalars.IsNull(typeNode))
        {
            ctx.Error(typeNode ?? node, typePath, $"required setting is missing; expected one of {string.Join(", ", known)}");
            return null;
        }

        if (ValueReader.String(ctx, typeNode, typePath) is not { } name)
        {
            return null;
        }

        int index = known.IndexOf(name);
        if (index < 0)
        {
            ctx.Error(typeNode!, typePath, (name == datadogOnly ? $"'{name}' is a Datadog option FalcoCheck does not support" : $"unknown {what} {ValueReader.Quote(name)}")
                + $"; expected one of {string.Join(", ", known)}{KeySuggester.DidYouMean(name, known)}");
            return null;
        }

        type = name;
        return types[index].Open(ctx, node, path, ctx.At(node));
    }
}
