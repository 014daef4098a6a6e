using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Typed reads of single YAML values. Each method returns null when the value is absent or YAML null (the
/// setting keeps its default, as Datadog treats <c>timeout:</c> with nothing after it) and also null after
/// recording an error. Messages never quote a string setting's text (it may be a password, a header holding a
/// token or a URL with user-info); only numbers, booleans and fixed words are quoted back.
/// </summary>
internal static class ValueReader
{
    /// <summary>One day: longer timeouts or intervals are typos, and TimeSpan arithmetic stays far from overflow.</summary>
    public const double MaxSeconds = 86_400;

    private const double MinSeconds = 0.001;
    private const int MaxQuoted = 60;

    public static string? String(ConfigReadContext ctx, YamlNode? node, string path, bool allowEmpty = false)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            ctx.Error(node!, path, $"expected a string, got {YamlScalars.KindName(node!)}");
            return null;
        }

        // Integers and decimals are accepted as their text (`service: 2024`, `password: 123456`), booleans are not:
        // `username: true` is far more likely a mistake than a user called "true".
        if (YamlScalars.Classify(scalar) == ScalarKind.Bool)
        {
            ctx.Error(scalar, path, "expected a string, got a boolean; quote it if you mean the text");
            return null;
        }

        string? text = EnvExpander.Expand(ctx, scalar, path, out bool usedEnv);
        if (text is null || allowEmpty || !string.IsNullOrWhiteSpace(text))
        {
            return text;
        }

        ctx.Error(scalar, path, usedEnv ? "must not be empty (the environment variable is empty)" : "must not be empty");
        return null;
    }

    /// <summary>A list item or map value: null is an error here, not "use the default".</summary>
    public static string? RequiredString(ConfigReadContext ctx, YamlNode node, string path, bool allowEmpty = false)
    {
        if (YamlScalars.IsNull(node))
        {
            ctx.Error(node, path, "expected a string, got nothing (null)");
            return null;
        }

        return String(ctx, node, path, allowEmpty);
    }

    public static bool? Bool(ConfigReadContext ctx, YamlNode? node, string path) =>
        TypedText(ctx, node, path, "true or false") is not { } text ? null
        : YamlScalars.TryParseBool(text, out bool value) ? value
        : Invalid<bool>(ctx, node!, path, $"expected true or false, got {Quote(text)} (YAML 1.2 booleans are only true and false)");

    public static TimeSpan? Seconds(ConfigReadContext ctx, YamlNode? node, string path) =>
        TypedText(ctx, node, path, "a number of seconds") is not { } text ? null
        : !YamlScalars.TryParseNumber(text, out double seconds)
            ? Invalid<TimeSpan>(ctx, node!, path, $"expected a number of seconds (such as 10 or 2.5), got {Quote(text)}")
        : seconds switch
        {
            <= 0 => Invalid<TimeSpan>(ctx, node!, path, $"must be greater than 0 seconds, got {Quote(text)}"),
            < MinSeconds => Invalid<TimeSpan>(ctx, node!, path, $"must be at least {MinSeconds.ToString(CultureInfo.InvariantCulture)} seconds, got {Quote(text)}"),
            > MaxSeconds => Invalid<TimeSpan>(ctx, node!, path,
                $"must be at most {MaxSeconds.ToString(CultureInfo.InvariantCulture)} seconds (one day), got {Quote(text)}"),
            _ => TimeSpan.FromSeconds(seconds),
        };

    public static long? Integer(ConfigReadContext ctx, YamlNode? node, string path, long min, long max) =>
        TypedText(ctx, node, path, "an integer") is not { } text ? null
        : !YamlScalars.TryParseInteger(text, out long value) ? Invalid<long>(ctx, node!, path, YamlScalars.TryParseNumber(text, out _)
            ? $"expected a whole number, got {Quote(text)}"
            : $"expected an integer, got {Quote(text)}")
        : value < min || value > max ? Invalid<long>(ctx, node!, path, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}, got {value}"))
        : value;

    /// <summary>One of a fixed set of words (log levels, formats, types), with a suggestion for near misses.</summary>
    public static string? OneOf(ConfigReadContext ctx, YamlNode? node, string path, IReadOnlyList<string> allowed)
    {
        string? text = String(ctx, node, path);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        ctx.Error(node!, path, $"expected one of {string.Join(", ", allowed)}, got {Quote(text)}{KeySuggester.DidYouMean(text, allowed)}");
        return null;
    }

    /// <summary>
    /// An absolute URL with one of <paramref name="schemes"/>. The text is never quoted back: URLs carry
    /// user-info and tokens in queries.
    /// </summary>
    public static Uri? Url(ConfigReadContext ctx, YamlNode? node, string path, IReadOnlyList<string> schemes)
    {
        if (String(ctx, node, path) is not { } text)
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host)
            || uri.Scheme.Length == 0 || uri.IsFile || uri.IsUnc)
        {
            ctx.Error(node!, path, $"expected an absolute URL such as {schemes[0]}://host:port/");
            return null;
        }

        if (!schemes.Contains(uri.Scheme, StringComparer.Ordinal))
        {
            ctx.Error(node!, path, $"expected a URL with scheme {string.Join(", ", schemes)}, got scheme '{uri.Scheme}'");
            return null;
        }

        return uri;
    }

    public static IReadOnlyList<string>? StringList(ConfigReadContext ctx, YamlNode? node, string path)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            ctx.Error(node!, path, $"expected a list of strings, got {YamlScalars.KindName(node!)}");
            return null;
        }

        var items = new List<string>(sequence.Children.Count);
        int errors = ctx.ErrorCount;
        for (int i = 0; i < sequence.Children.Count; i++)
        {
            string? item = RequiredString(ctx, sequence.Children[i], Index(path, i));
            if (item is not null)
            {
                items.Add(item);
            }
        }

        return ctx.ErrorCount == errors ? items : null;
    }

    /// <summary>A list of strings, or one comma-separated string, as NO_PROXY and the Agent's log <c>tags</c> take them.</summary>
    public static IReadOnlyList<string>? CommaList(ConfigReadContext ctx, YamlNode? node, string path) =>
        node is YamlScalarNode scalar && !YamlScalars.IsNull(scalar)
            ? String(ctx, node, path)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : StringList(ctx, node, path);

    /// <summary>A mapping of string to string (headers, label renames). Duplicate keys are rejected by the YAML loader.</summary>
    public static IReadOnlyDictionary<string, string>? StringMap(ConfigReadContext ctx, YamlNode? node, string path,
        bool allowEmptyValues = false, IEqualityComparer<string>? comparer = null)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            ctx.Error(node!, path, $"expected a mapping of names to strings, got {YamlScalars.KindName(node!)}");
            return null;
        }

        var map = new Dictionary<string, string>(comparer ?? StringComparer.Ordinal);
        int errors = ctx.ErrorCount;
        foreach ((YamlNode keyNode, YamlNode valueNode) in mapping.Children)
        {
            string? key = MappingKey(ctx, keyNode, path);
            if (key is null)
            {
                continue;
            }

            string entryPath = Child(path, key);
            string? value = RequiredString(ctx, valueNode, entryPath, allowEmptyValues);
            if (value is null)
            {
                continue;
            }

            if (!map.TryAdd(key, value))
            {
                ctx.Error(keyNode, entryPath, $"'{key}' is given twice (names here are case-insensitive)");
            }
        }

        return ctx.ErrorCount == errors ? map : null;
    }

    /// <summary>A mapping key must be a plain word; returns null after an error otherwise.</summary>
    public static string? MappingKey(ConfigReadContext ctx, YamlNode keyNode, string path)
    {
        if (keyNode is YamlScalarNode { Value: { Length: > 0 } key } && YamlScalars.Classify((YamlScalarNode)keyNode) != ScalarKind.Null)
        {
            return key;
        }

        ctx.Error(keyNode, path, $"expected a name as the key, got {YamlScalars.KindName(keyNode)}");
        return null;
    }

    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    /// <summary>Seconds as messages write them: up to three decimals, no trailing zeros ("2.5", "10").</summary>
    public static string SecondsText(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Quotes a non-secret value for a message, shortened so a pasted blob does not flood the output.</summary>
    public static string Quote(string text) =>
        text.Length <= MaxQuoted ? $"'{text}'" : $"'{text[..MaxQuoted]}…'";

    /// <summary>Records an error and gives "no value".</summary>
    private static T? Invalid<T>(ConfigReadContext ctx, YamlNode node, string path, string message) where T : struct
    {
        ctx.Error(node, path, message);
        return null;
    }

    /// <summary>
    /// The text of a number or boolean. A quoted scalar is rejected unless it holds an %%env_…%% reference,
    /// which must be quoted in YAML (a plain scalar cannot start with '%').
    /// </summary>
    private static string? TypedText(ConfigReadContext ctx, YamlNode? node, string path, string expected)
    {
        if (YamlScalars.IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            ctx.Error(node!, path, $"expected {expected}, got {YamlScalars.KindName(node!)}");
            return null;
        }

        string raw = scalar.Value ?? string.Empty;
        if (YamlScalars.Classify(scalar) == ScalarKind.String && scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain
            && !EnvExpander.HasReference(raw))
        {
            ctx.Error(scalar, path, $"expected {expected}, got a quoted string; remove the quotes");
            return null;
        }

        return EnvExpander.Expand(ctx, scalar, path, out _)?.Trim();
    }
}
