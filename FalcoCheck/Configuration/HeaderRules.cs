using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Checks header names and values at load time, so a typo fails with a position instead of as an exception
/// from HttpClient at the first scrape. Names are RFC 9110 section 5.6.2 tokens; values must not contain CR,
/// LF or NUL (RFC 9110 section 5.5), which would otherwise split the request.
/// </summary>
internal static class HeaderRules
{
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    public static bool IsValidName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !TokenSymbols.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidValue(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0;

    /// <summary>
    /// Reads a header mapping (<c>headers</c>, <c>extra_headers</c>). Header names compare case-insensitively, so
    /// "Host" and "host" together are a duplicate. Values are never quoted back: they often carry tokens.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Read(ConfigMapping map, string key)
    {
        int errors = map.Context.ErrorCount;
        IReadOnlyDictionary<string, string>? headers = map.StringMap(key, allowEmptyValues: true, StringComparer.OrdinalIgnoreCase);
        if (headers is null || map.Get(key) is not YamlMappingNode node)
        {
            return headers;
        }

        foreach ((YamlNode keyNode, YamlNode valueNode) in node.Children)
        {
            string name = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            string path = ValueReader.Child(map.PathOf(key), name);
            if (!IsValidName(name))
            {
                map.Context.Error(keyNode, path, "not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
            }
            else if (!IsValidValue(headers[name]))
            {
                map.Context.Error(valueNode, path, "header value must not contain line breaks or NUL characters");
            }
        }

        return map.Context.ErrorCount == errors ? headers : null;
    }
}
