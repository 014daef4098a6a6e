using System.Buffers;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Checks header names and values at load time, so a typo fails with a position instead of as an exception
/// from HttpClient at the first request. Names are RFC 9110 section 5.6.2 tokens; values must not contain CR,
/// LF or NUL (RFC 9110 section 5.5), which would otherwise split the request.
/// </summary>
internal static class HeaderRules
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~");

    public static bool IsValidName(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>
    /// Reads a header mapping (an instance's <c>headers</c> and <c>extra_headers</c>, a sink's <c>headers</c>). Header
    /// names compare case-insensitively, so "Host" and "host" together are a duplicate. Values are never quoted back:
    /// they often carry tokens.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Read(ConfigReadContext ctx, YamlNode? node, string path)
    {
        int errors = ctx.ErrorCount;
        IReadOnlyDictionary<string, string>? headers = ValueReader.StringMap(ctx, node, path, allowEmptyValues: true, StringComparer.OrdinalIgnoreCase);
        if (headers is null || node is not YamlMappingNode mapping)
        {
            return headers;
        }

        foreach ((YamlNode keyNode, YamlNode valueNode) in mapping.Children)
        {
            string name = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (!IsValidName(name))
            {
                ctx.Error(keyNode, ValueReader.Child(path, name), "not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
            }
            else if (headers[name].AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                ctx.Error(valueNode, ValueReader.Child(path, name), "header value must not contain line breaks or NUL characters");
            }
        }

        return ctx.ErrorCount == errors ? headers : null;
    }
}
