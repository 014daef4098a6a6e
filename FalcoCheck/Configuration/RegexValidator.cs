using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Compiles user regular expressions once at load time so a bad one is reported with its place, not at the
/// first scrape. Patterns use .NET syntax, which accepts the Python <c>re</c> syntax Datadog configs use for
/// everything these options need (anchors, classes, groups, lookahead).
/// </summary>
internal static class RegexValidator
{
    // Metric names are [a-zA-Z_:][a-zA-Z0-9_:]* (Prometheus data model), so any of these marks a pattern.
    private const string MetaCharacters = "\\^$.|?*+()[]{}";

    public static bool LooksLikeRegex(string pattern) => pattern.AsSpan().IndexOfAny(MetaCharacters) >= 0;

    /// <summary>Returns the compiled pattern, or null after recording an error at <paramref name="node"/>.</summary>
    public static Regex? TryCompile(ConfigReadContext ctx, YamlNode node, string path, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
        }
        catch (RegexParseException e)
        {
            ctx.Error(node, path, $"invalid regular expression: {e.Message}");
            return null;
        }
    }
}
