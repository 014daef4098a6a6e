using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// YAML 1.2 core-schema resolution of plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution). We keep
/// 1.2 rather than YAML 1.1 so that <c>yes</c>, <c>on</c> and <c>no</c> stay strings: Norway's country code is
/// not a boolean. Quoted, literal and folded scalars are always strings.
/// </summary>
internal static partial class YamlScalars
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
        _ when Integer().IsMatch(text) => ScalarKind.Integer,
        _ when Float().IsMatch(text) => ScalarKind.Float,
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

    // The core schema's own expressions (section 10.3.2); octal and hex are ints too: we only need to know the kind
    // here, and reject them later as "not a plain decimal".
    [GeneratedRegex(@"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\z", RegexOptions.CultureInvariant)]
    private static partial Regex Float();
}
