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
        switch (text)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    public static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool IsInteger(string text)
    {
        // Core schema: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+. Octal and hex are ints too; we only need to know
        // the kind here, and reject them later as "not a plain decimal".
        ReadOnlySpan<char> s = text;
        if (s.StartsWith("0o") || s.StartsWith("0x"))
        {
            return s.Length > 2;
        }

        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }

        return s.Length > 0 && !s.ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsFloat(string text)
    {
        if (text is ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or "+.Inf" or "-.Inf" or "+.INF" or "-.INF"
            or ".nan" or ".NaN" or ".NAN")
        {
            return true;
        }

        // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        ReadOnlySpan<char> s = text;
        int i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            i++;
        }

        int digits = CountDigits(s, ref i);
        int fraction = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            fraction = CountDigits(s, ref i);
            if (digits == 0 && fraction == 0)
            {
                return false;
            }
        }
        else if (digits == 0)
        {
            return false;
        }

        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '-' || s[i] == '+'))
            {
                i++;
            }

            if (CountDigits(s, ref i) == 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    private static int CountDigits(ReadOnlySpan<char> s, ref int i)
    {
        int start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i - start;
    }
}
