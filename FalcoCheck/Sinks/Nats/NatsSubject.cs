using System.Text;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Sinks.Nats;

/// <summary>
/// The subject of one alert from the template, as Falcosidekick builds it: <c>&lt;priority&gt;</c> is the priority in
/// lower case, <c>&lt;rule&gt;</c> the rule's slug (lower case, each run of characters other than a-z and 0-9 one
/// '_', none at the ends), so every alert subject is a valid NATS token and a subscriber can filter on
/// <c>falco.critical.&gt;</c> or <c>falco.*.terminal_shell_in_container</c>.
/// </summary>
internal static class NatsSubject
{
    public const string PriorityPlaceholder = "<priority>";
    public const string RulePlaceholder = "<rule>";

    public static string Format(string template, AlertDocument alert)
    {
        if (!template.Contains('<', StringComparison.Ordinal))
        {
            return template;
        }

        return template
            .Replace(PriorityPlaceholder, alert.PriorityName.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace(RulePlaceholder, Slug(alert.Rule), StringComparison.Ordinal);
    }

    /// <summary>A rule with no letter or digit (never in Falco's rule files) becomes "_", so the token is not empty.</summary>
    public static string Slug(string rule)
    {
        var slug = new StringBuilder(rule.Length);
        bool gap = false;
        foreach (char c in rule)
        {
            char lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (gap && slug.Length > 0)
                {
                    slug.Append('_');
                }

                slug.Append(lower);
                gap = false;
            }
            else
            {
                gap = true;
            }
        }

        return slug.Length == 0 ? "_" : slug.ToString();
    }

    /// <summary>Why a template cannot be a NATS subject (empty tokens, spaces, wildcards), or null.</summary>
    public static string? Problem(string template)
    {
        if (template.Length == 0)
        {
            return "must not be empty";
        }

        foreach (string token in template.Split('.'))
        {
            if (token.Length == 0)
            {
                return "has an empty token (two dots, or a dot at an end)";
            }

            if (token is "*" or ">")
            {
                return "a wildcard cannot be published to";
            }

            foreach (char c in token)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return "must not contain spaces or control characters";
                }
            }
        }

        return null;
    }
}
