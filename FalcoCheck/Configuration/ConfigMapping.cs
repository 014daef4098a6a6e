using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// One YAML mapping being bound to a record: checks every key against the section's key list when opened
/// (unknown keys get a "did you mean", Datadog-only keys say so), then hands out typed values by key with the
/// full setting path for messages. Null or missing mappings read as empty, so <c>init_config:</c> with nothing
/// after it is fine.
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

    public IEnumerable<string> Keys => _entries.Keys;

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping with the given keys (a section's table: <see cref="OptionSection.Open"/>). Returns null after an error if it is a list
    /// or a scalar. <paramref name="datadogOnly"/> maps keys Datadog accepts there that have no effect here to what
    /// FalcoCheck does instead: they become notices, not errors.
    /// </summary>
    public static ConfigMapping? Open(ConfigReadContext ctx, YamlNode? node, string path, SourcePosition fallback,
        IReadOnlyCollection<string> knownKeys, IReadOnlyDictionary<string, string>? datadogOnly = null, string what = "a mapping")
    {
        if (YamlScalars.IsNull(node))
        {
            return new ConfigMapping(ctx, path, node is null ? fallback : ctx.At(node));
        }

        if (node is not YamlMappingNode mapping)
        {
            ctx.Error(node!, path, $"expected {what}, got {YamlScalars.KindName(node!)}");
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

            if (knownKeys.Contains(key))
            {
                result._entries[key] = ((YamlScalarNode)keyNode, value);
            }
            else if (datadogOnly is not null && datadogOnly.TryGetValue(key, out string? instead))
            {
                ctx.Notice(keyNode, ValueReader.Child(path, key), $"Datadog option accepted, not used: {instead}");
            }
            else
            {
                ctx.Error(keyNode, ValueReader.Child(path, key), UnknownKeyMessage(key, knownKeys));
            }
        }

        return result;
    }

    /// <summary>
    /// The value under <paramref name="key"/> in a raw mapping, before the mapping is opened: a section whose key
    /// list depends on its <c>type</c> reads the type first.
    /// </summary>
    public static YamlNode? Peek(YamlNode? node, string key)
    {
        if (node is YamlMappingNode mapping)
        {
            foreach ((YamlNode k, YamlNode v) in mapping.Children)
            {
                if (k is YamlScalarNode { Value: { } name } && string.Equals(name, key, StringComparison.Ordinal))
                {
                    return v;
                }
            }
        }

        return null;
    }

    public string PathOf(string key) => ValueReader.Child(Path, key);

    /// <summary>The value node, or null when the key is absent. A YAML null value is returned as its node.</summary>
    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>True when the key is present with a non-null value.</summary>
    public bool Has(string key) => !YamlScalars.IsNull(Get(key));

    /// <summary>
    /// Where a message about <paramref name="key"/> points: its value; its key when the value is empty (an empty
    /// value's mark is just past the colon, where there is nothing to see); the mapping when the key is absent.
    /// </summary>
    public SourcePosition PositionOf(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return Position;
        }

        return Context.At(IsEmpty(entry.Value) ? entry.Key : entry.Value);
    }

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

    public string? String(string key, bool allowEmpty = false) => ValueReader.String(Context, Get(key), PathOf(key), allowEmpty);

    public string? RequiredString(string key) => Require(key) ? String(key) : null;

    public Secret? Secret(string key)
    {
        string? text = String(key);
        return text is null ? null : new Secret(text);
    }

    public bool? Bool(string key) => ValueReader.Bool(Context, Get(key), PathOf(key));

    public TimeSpan? Seconds(string key) => ValueReader.Seconds(Context, Get(key), PathOf(key));

    public long? Integer(string key, long min, long max) => ValueReader.Integer(Context, Get(key), PathOf(key), min, max);

    public string? OneOf(string key, IReadOnlyList<string> allowed) => ValueReader.OneOf(Context, Get(key), PathOf(key), allowed);

    public Uri? Url(string key, IReadOnlyList<string> schemes) => ValueReader.Url(Context, Get(key), PathOf(key), schemes);

    public IReadOnlyList<string>? StringList(string key) => ValueReader.StringList(Context, Get(key), PathOf(key));

    public IReadOnlyDictionary<string, string>? StringMap(string key, bool allowEmptyValues = false, IEqualityComparer<string>? comparer = null) =>
        ValueReader.StringMap(Context, Get(key), PathOf(key), allowEmptyValues, comparer);

    /// <summary>A list of strings, each with its node and path for checks of its own; null when absent or after an error.</summary>
    public IReadOnlyList<(string Text, YamlNode Node, string Path)>? StringItems(string key) =>
        StringList(key) is { } texts && Get(key) is YamlSequenceNode list
            ? [.. texts.Select((text, i) => (text, list.Children[i], ValueReader.Index(PathOf(key), i)))]
            : null;

    /// <summary>A list of strings, or one comma-separated string, as NO_PROXY and the Agent's log <c>tags</c> take them.</summary>
    public IReadOnlyList<string>? CommaList(string key) => Get(key) is YamlScalarNode scalar && !YamlScalars.IsNull(scalar)
        ? String(key)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : StringList(key);

    /// <summary>A file path; relative paths resolve against the config file's directory.</summary>
    public string? FilePath(string key) => String(key) is { } path ? Context.ResolvePath(path) : null;

    private static string UnknownKeyMessage(string key, IReadOnlyCollection<string> knownKeys)
    {
        if (key == "<<")
        {
            // The representation model keeps merge keys as ordinary keys; say so rather than "unknown setting".
            return "YAML merge keys ('<<') are not supported; repeat the settings, or use %%env_NAME%% for shared values";
        }

        string? suggestion = KeySuggester.Suggest(key, knownKeys);
        if (suggestion is not null)
        {
            return $"unknown setting '{key}'; did you mean '{suggestion}'?";
        }

        // Short key lists (a sink, a proxy) are worth printing; an instance's forty keys are not.
        const int MaxListed = 12;
        return knownKeys.Count <= MaxListed
            ? $"unknown setting '{key}'; expected one of {string.Join(", ", knownKeys)}"
            : $"unknown setting '{key}'";
    }
}
