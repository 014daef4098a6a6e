namespace FalcoCheck.Mapping;

/// <summary>Readable tags for rule matches: priority names and Falco's rule tags.</summary>
internal static class RuleTags
{
    /// <summary>
    /// Falco's priorities by number, as <c>rules_matches_total{priority}</c> writes them (0 = Emergency): the
    /// <c>priority_name</c> tag of metrics and of alert logs alike, so the two join.
    /// </summary>
    private static readonly string[] Priorities = ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"];

    /// <summary>The <c>priority_name</c> of a priority number 0–7.</summary>
    public static string PriorityName(int number) => Priorities[number];

    private const string MitrePrefix = "mitre_";

    public static string? PriorityName(string number) =>
        number.Length == 1 && number[0] is >= '0' and <= '7' ? Priorities[number[0] - '0'] : null;

    /// <summary>Adds one Falco rule tag in the chosen form (the alerts' AlertEnricher uses the same names).</summary>
    public static void Add(List<string> tags, string ruleTag, RuleTagMode mode)
    {
        switch (mode)
        {
            case RuleTagMode.Fold:
                tags.Add("falco_tag:" + ruleTag);
                if (IsMitreTechnique(ruleTag))
                {
                    tags.Add("mitre_technique:" + ruleTag);
                }
                else if (ruleTag.StartsWith(MitrePrefix, StringComparison.Ordinal) && ruleTag.Length > MitrePrefix.Length)
                {
                    tags.Add("mitre_tactic:" + ruleTag[MitrePrefix.Length..]);
                }

                break;
            case RuleTagMode.Labels:
                tags.Add("tag_" + ruleTag + ":true");
                break;
        }
    }

    /// <summary>MITRE ATT&amp;CK technique ids: T1059, or a sub-technique T1059.004.</summary>
    public static bool IsMitreTechnique(string tag)
    {
        if (tag.Length is not (5 or 9) || tag[0] != 'T')
        {
            return false;
        }

        for (var i = 1; i < tag.Length; i++)
        {
            var expected = i == 5 ? tag[i] == '.' : char.IsAsciiDigit(tag[i]);
            if (!expected)
            {
                return false;
            }
        }

        return true;
    }
}
