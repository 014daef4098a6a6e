using System.Text.RegularExpressions;

namespace FalcoCheck.Scraping;

/// <summary>
/// Datadog's <c>auth_token</c> with a <c>file</c> reader and a <c>header</c> writer: the file is read at every
/// scrape, so a rotated Kubernetes service-account token is picked up without a restart.
/// </summary>
internal sealed record AuthTokenSource(string Path, Regex? Pattern, string HeaderName, string ValueTemplate, string Placeholder)
{
    /// <summary>The header value, or an error that names the file but never the token.</summary>
    public (string? Value, string? Error) Read()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read auth_token file {Path}: {e.GetType().Name}");
        }

        if (Pattern is not null)
        {
            var match = Pattern.Match(text);
            if (!match.Success || match.Groups.Count < 2)
            {
                return (null, $"auth_token pattern found no token in {Path}");
            }

            text = match.Groups[1].Value;
        }

        return (ValueTemplate.Replace(Placeholder, text, StringComparison.Ordinal), null);
    }
}
