using System.Text.Json;

namespace FalcoCheck.Alerts;

/// <summary>
/// The tags of an alert (its log's <c>ddtags</c>): where it ran and what it is, in the tag names Datadog users
/// already filter on (the Agent's Kubernetes and container tags, https://docs.datadoghq.com/containers/kubernetes/tag/).
/// </summary>
internal static class AlertEnricher
{
    /// <summary>Falco field ─► Datadog tag name. Flat or nested <c>output_fields</c> both match.</summary>
    public static IReadOnlyList<(string Field, string Tag)> FieldTags { get; } =
    [
        ("k8s.ns.name", "kube_namespace"),
        ("k8s.pod.name", "pod_name"),
        ("k8s.deployment.name", "kube_deployment"),
        ("container.name", "container_name"),
        ("container.id", "container_id"),
        ("container.image.repository", "image_name"),
        ("container.image.tag", "image_tag"),
    ];

    private const string MitrePrefix = "mitre_";

    /// <summary>
    /// <paramref name="baseTags"/> (agent and alerts tags), then <c>rule_name</c>, <c>priority_name</c>,
    /// <c>falco_source</c>, each rule tag as written, MITRE technique ids and tactics, and the Kubernetes and
    /// container fields present in the alert.
    /// </summary>
    /// <remarks>
    /// NOTE: the event source is tagged <c>falco_source</c>, not <c>source</c>: <c>source</c> is Datadog's reserved
    /// log tag (it is <c>falco</c>, from <c>ddsource</c>), and Datadog's Falco pipeline filters on it.
    /// </remarks>
    public static List<string> Tags(IReadOnlyList<string> baseTags, string rule, FalcoPriority priority, string? source,
        JsonElement ruleTags, JsonElement outputFields)
    {
        var tags = new List<string>(baseTags.Count + 16);
        tags.AddRange(baseTags);
        tags.Add(Tag("rule_name", rule));
        tags.Add("priority_name:" + AlertPriorities.TagValue(priority));
        if (source is not null)
        {
            tags.Add(Tag("falco_source", source));
        }

        if (ruleTags.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in ruleTags.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } ruleTag)
                {
                    continue;
                }

                // The same tag names as falco.rules.matches.count (rule_tags: fold), so logs and metrics join.
                tags.Add("falco_tag:" + Sanitize(ruleTag));
                if (IsMitreTechnique(ruleTag))
                {
                    tags.Add("mitre_technique:" + ruleTag);
                }
                else if (ruleTag.StartsWith(MitrePrefix, StringComparison.Ordinal) && ruleTag.Length > MitrePrefix.Length)
                {
                    tags.Add(Tag("mitre_tactic", ruleTag[MitrePrefix.Length..]));
                }
            }
        }

        foreach ((string field, string tag) in FieldTags)
        {
            // Falco gives host processes the container id "host": that is not a container to tag.
            if (OutputFields.TagText(outputFields, field) is { } value && !(tag == "container_id" && value == "host"))
            {
                tags.Add(Tag(tag, value));
            }
        }

        return tags;
    }

    /// <summary>MITRE ATT&amp;CK technique ids as Falco's rules tag them: <c>T1059</c> or <c>T1059.004</c>.</summary>
    internal static bool IsMitreTechnique(ReadOnlySpan<char> tag) =>
        (tag.Length == 5 || (tag.Length == 9 && tag[5] == '.' && IsDigits(tag[6..])))
        && tag[0] == 'T' && IsDigits(tag[1..5]);

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');

    private static string Tag(string name, string value) => name + ":" + Sanitize(value);

    /// <summary><c>ddtags</c> is comma-separated, so a comma inside a value would split it; Datadog normalizes the rest.</summary>
    private static string Sanitize(string value) => value.Contains(',', StringComparison.Ordinal) ? value.Replace(',', '_') : value;
}
