using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// One YAML mapping being bound to a record: checks every key against the section's key list when opened
/// (unknown keys get a "did you mean", Datadog-only keys say so), then hands out value nodes by key, with the
/// full setting path and place for messages; options read their values through it. Null or missing mappings read
/// as empty, so <c>init_config:</c> with nothing after it is fine.
/// </summary>
internal sealed class ConfigMapping
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private ConfigMapping(ConfigReadContext context, string path, SourcePosition position)
    {
        Context = context;
        Path = path;
        Position = position;
    }

    public ConfigReadContext Context { get; }

    public string Path { get; }

    /// <summary>Where the mapping starts (its first key), or where it would have been when it is absent.</summary>
    public SourcePosition Position { get; }

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping with <paramref name="section"/>'s keys. Returns null after an error if
    /// it is a list or a scalar. The section's Datadog-only keys (accepted there, no effect here) become notices, not
    /// errors; its options' <see cref="ConfigOption.Needs"/> and
    /// <see cref="ConfigOption.Excludes"/> are checked.
    /// </summary>
    public static ConfigMapping? Open(ConfigReadContext ctx, YamlNode? node, string path, SourcePosition fallback, OptionSection section)
    {
        if (YamlScalars.IsNull(node))
        {
            return new ConfigMapping(ctx, path, node is null ? fallback : ctx.At(node));
        }

        if (node is not YamlMappingNode mapping)
        {
            ctx.Error(node!, path, $"expected {section.What}, got {YamlScalars.KindName(node!)}");
            return null;
        }

        var result = new ConfigMapping(ctx, path, ctx.At(mapping));
        foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
        {
            string? key = ValueReader.MappingKey(ctx, keyNode, path);
            if (key is null)
            {
                continue;
            }

            if (section.Keys.Contains(key))
            {
                result._entries[key] = ((YamlScalarNode)keyNode, value);
            }
            else if (section.DatadogOnly is not null && section.DatadogOnly.TryGetValue(key, out string? instead))
            {
                ctx.Notice(keyNode, ValueReader.Child(path, key), $"Datadog option accepted, not used: {instead}");
            }
            else
            {
                ctx.Error(keyNode, ValueReader.Child(path, key), UnknownKeyMessage(key, section.Keys));
            }
        }

        foreach (ConfigOption option in section.Options)
        {
            if (option.Needs is { } other && result.Has(option.Name) && !result.Has(other))
            {
                result.Error(option.Name, $"{other} is required when {option} is set");
            }

            if (option.Excludes is { } excludes && result.Has(option.Name) && result.Has(excludes.Other))
            {
                result.Error(option.Name, $"{option} and {excludes.Other} {excludes.Why}; use one of them");
            }
        }

        return result;
    }

    /// <summary>
    /// The value under <paramref name="key"/> in a raw mapping, before the mapping is opened: a section whose key
    /// list depends on its <c>type</c> reads the type first.
    /// </summary>
    public static YamlNode? Peek(YamlNode? node, string key) => (node as YamlMappingNode)?.Children
        .FirstOrDefault(entry => entry.Key is YamlScalarNode { Value: { } name } && string.Equals(name, key, StringComparison.Ordinal)).Value;

    public string PathOf(string key) => ValueReader.Child(Path, key);

    /// <summary>The value node, or null when the key is absent. A YAML null value is returned as its node.</summary>
    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>True when the key is present with a non-null value.</summary>
    public bool Has(string key) => !YamlScalars.IsNull(Get(key));

    /// <summary>
    /// Where a message about <paramref name="key"/> points: its value; its key when the value is empty (an empty
    /// value's mark is just past the colon, where there is nothing to see); the mapping when the key is absent.
    /// </summary>
    public SourcePosition PositionOf(string key) =>
        _entries.TryGetValue(key, out var entry) ? Context.At(IsEmpty(entry.Value) ? entry.Key : entry.Value) : Position;

    /// <summary>True for a value written as nothing at all (<c>key:</c>), as opposed to <c>~</c> or <c>null</c>.</summary>
    public static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Value: "" or null, Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any };

    public void Error(string key, string message) => Context.Error(PositionOf(key), PathOf(key), message);

    /// <summary>Records "required" and returns false when the key is absent or null.</summary>
    public bool Require(string key)
    {
        if (Has(key))
        {
            return true;
        }

        Context.Error(PositionOf(key), PathOf(key), Get(key) is null ? "required setting is missing" : "required setting is empty");
        return false;
    }

    /// <summary>A list of strings, each with its node and path for checks of its own; null when absent or after an error.</summary>
    public IReadOnlyList<(string Text, YamlNode Node, string Path)>? StringItems(string key) =>
        ValueReader.StringList(Context, Get(key), PathOf(key)) is { } texts && Get(key) is YamlSequenceNode list
            ? [.. texts.Select((text, i) => (text, list.Children[i], ValueReader.Index(PathOf(key), i)))]
            : null;

    private static string UnknownKeyMessage(string key, IReadOnlyCollection<string> knownKeys)
    {
        if (key == "<<")
        {
            // The representation model keeps merge keys as ordinary keys; say so rather than "unknown setting".
            return "YAML merge keys ('<<') are not supported; repeat the settings, or use %%env_NAME%% for shared values";
        }

        if (KeySuggester.DidYouMean(key, knownKeys) is { Length: > 0 } didYouMean)
        {
            return $"unknown setting '{key}'{didYouMean}";
        }

        // Short key lists (a sink, a proxy) are worth printing; an instance's forty keys are not.
        const int MaxListed = 12;
        return knownKeys.Count <= MaxListed
            ? $"unknown setting '{key}'; expected one of {string.Join(", ", knownKeys)}"
            : $"unknown setting '{key}'";
    }
}
