using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// YAML 1.2 core-schema resolution of plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution). We keep
/// 1.2 rather than YAML 1.1 so that <c>yes</c>, <c>on</c> and <c>no</c> stay strings: Norway's country code is
/// not a boolean. Quoted, literal and folded scalars are always strings.
/// </summary>
internal static class YamlScalars
{
    private const string StrTag = "tag:yaml.org,2002:str";

    public static ScalarKind Classify(YamlScalarNode node)
    {
        if (node.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return ScalarKind.String;
        }

        // An explicit !!str (or the non-specific '!') forces a string, as the spec says.
        if (!node.Tag.IsEmpty && (node.Tag.Value == StrTag || node.Tag.Value == "!"))
        {
            return ScalarKind.String;
        }

        return ClassifyText(node.Value ?? string.Empty);
    }

    public static ScalarKind ClassifyText(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarKind.Bool,
        _ when IsInteger(text) => ScalarKind.Integer,
        _ when IsFloat(text) => ScalarKind.Float,
        _ => ScalarKind.String,
    };

    public static bool IsNull(YamlNode? node) => node is null || (node is YamlScalarNode s && Classify(s) == ScalarKind.Null);

    /// <summary>Words for "got ..." in messages. Never the text itself: callers decide whether quoting is safe.</summary>
    public static string KindName(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => Classify(s) switch
        {
            ScalarKind.Null => "nothing (null)",
            ScalarKind.Bool => "a boolean",
            ScalarKind.Integer => "an integer",
            ScalarKind.Float => "a number",
            _ => "a string",
        },
        _ => "an alias",
    };

    public static bool TryParseBool(string text, out bool value)
    {
        value = text is "true" or "True" or "TRUE";
        return value || text is "false" or "False" or "FALSE";
    }

    public static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool IsInteger(string text)
    {
        // Core schema: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+. Octal and hex are ints too; we only need to know the
        // kind here, and reject them later as "not a plain decimal".
        ReadOnlySpan<char> s = text;
        if (s.StartsWith("0o") || s.StartsWith("0x"))
        {
            return s.Length > 2;
        }

        s = s.StartsWith('-') || s.StartsWith('+') ? s[1..] : s;
        return s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>
    /// Core schema: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, which is what double.TryParse takes with these
    /// styles once words such as "Infinity" (a string in YAML) are ruled out by the last character; and .inf, .nan.
    /// </summary>
    private static bool IsFloat(string text) =>
        text is ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or "+.Inf" or "-.Inf" or "+.INF" or "-.INF" or ".nan" or ".NaN" or ".NAN"
        || (text.Length > 0 && (char.IsAsciiDigit(text[^1]) || text[^1] == '.')
            && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out _));
}
