namespace FalcoCheck.Mapping;

/// <summary>
/// Rewrites a raw series from any Falco release since 0.38.0 into the newest naming, so one table maps them all.
/// Runs on a series-cache miss only.
/// </summary>
/// <remarks>
/// What changed between releases (facts from Falco's metrics documentation of each release):
/// <list type="bullet">
/// <item>0.38.0 writes libscap series under <c>falcosecurity_falco_</c>, one <c>n_drops_buffer_&lt;drop&gt;_&lt;dir&gt;_total</c>
/// name per category plus an aggregate, one <c>falco_sha256_&lt;kind&gt;_file_&lt;file&gt;_info</c> name per file with the hash
/// in a label of the same name, one <c>rules_&lt;rule&gt;_total</c> name per rule (labels rule, priority, source,
/// tags="a, b") plus an aggregate <c>rules_matches_total</c>, and a <c>raw_name</c> label everywhere.</item>
/// <item>0.38.1/0.38.2 write <c>rules_counters_total{rule_name,priority,source,tags="a, b"}</c>.</item>
/// <item>0.39+ write <c>scap_*</c> and <c>rules_matches_total</c> with one <c>tag_&lt;x&gt;="true"</c> label per rule tag.</item>
/// <item>0.42+ keep six constant-zero <c>n_drops_buffer_total{dir="enter"}</c> lines whose help marks them DEPRECATED.</item>
/// </list>
/// </remarks>
internal static class FalcoSeriesNormalizer
{
    private const string FalcoPrefix = "falcosecurity_falco_";
    private const string ScapPrefix = "falcosecurity_scap_";
    private const string DropsBuffer = "falcosecurity_scap_n_drops_buffer_total";
    private const string RulesMatches = "falcosecurity_falco_rules_matches_total";

    /// <summary>
    /// Returns the canonical raw name, with <paramref name="labels"/> rewritten in place, or null when the series
    /// must not be submitted (aggregates that would double count, deprecated constant lines).
    /// </summary>
    public static string? Normalize(string rawName, List<KeyValuePair<string, string>> labels, bool helpSaysDeprecated)
    {
        labels.RemoveAll(static l => l.Key == "raw_name");
        var name = rawName;

        // 0.38.0: libscap counters lived under the falco prefix.
        if (name.StartsWith(FalcoPrefix + "n_", StringComparison.Ordinal))
        {
            name = ScapPrefix + name[FalcoPrefix.Length..];
        }

        // The length check keeps the prefix and the "_total" suffix from overlapping (found by fuzzing: a name
        // such as "falcosecurity_scap_n_drops_buffer_x" made the slice below negative).
        if (name.StartsWith(ScapPrefix + "n_drops_buffer_", StringComparison.Ordinal) && name.EndsWith("_total", StringComparison.Ordinal)
            && name.Length > ScapPrefix.Length + "n_drops_buffer_".Length + "_total".Length)
        {
            // 0.38.0: n_drops_buffer_<drop>_<dir>_total → n_drops_buffer_total{drop,dir}.
            var category = name[(ScapPrefix.Length + "n_drops_buffer_".Length)..^"_total".Length];
            var split = category.LastIndexOf('_');
            if (split <= 0)
            {
                return name;
            }

            labels.Add(new("dir", category[(split + 1)..]));
            labels.Add(new("drop", category[..split]));
            return DropsBuffer;
        }

        if (name == DropsBuffer)
        {
            // 0.38.0's aggregate has no category: sending it beside the categories would count every drop twice.
            if (Find(labels, "drop") is null)
            {
                return null;
            }

            if (helpSaysDeprecated && Find(labels, "dir") == "enter")
            {
                return null;
            }
        }

        if (TryBpfProgram(name, labels) is { } bpf)
        {
            return bpf;
        }

        if (TryTaskIterator(name, labels) is { } task)
        {
            return task;
        }

        if (TrySha256File(name, labels) is { } sha)
        {
            return sha;
        }

        if (name == FalcoPrefix + "rules_counters_total")
        {
            SplitTagList(labels);
            return RulesMatches;
        }

        if (name == RulesMatches)
        {
            // 0.38.0's total across rules: the per-rule series carry the same counts.
            return Find(labels, "rule_name") is null ? null : name;
        }

        if (name.StartsWith(FalcoPrefix + "rules_", StringComparison.Ordinal) && name.EndsWith("_total", StringComparison.Ordinal) && Find(labels, "rule") is { } rule)
        {
            // 0.38.0: one name per rule, the rule's real name in the `rule` label.
            labels.RemoveAll(static l => l.Key == "rule");
            labels.Add(new("rule_name", rule));
            SplitTagList(labels);
            return RulesMatches;
        }

        return name;
    }

    private static string? Find(List<KeyValuePair<string, string>> labels, string key)
    {
        foreach (var label in labels)
        {
            if (label.Key == key)
            {
                return label.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// libbpf stats: <c>scap_&lt;prog&gt;_run_cnt_total</c>, <c>_run_time_nanoseconds_total</c>, <c>_avg_time_nanoseconds</c>
    /// → one name each with <c>bpf_program=&lt;prog&gt;</c>, so a new kernel program is a new tag, not a new metric.
    /// </summary>
    private static string? TryBpfProgram(string name, List<KeyValuePair<string, string>> labels)
    {
        string? prefix = name.StartsWith(ScapPrefix, StringComparison.Ordinal) ? ScapPrefix
            : name.StartsWith(FalcoPrefix, StringComparison.Ordinal) ? FalcoPrefix
            : null;
        if (prefix is null)
        {
            return null;
        }

        foreach (var (suffix, canonical) in BpfSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name != canonical && name.Length > prefix.Length + suffix.Length)
            {
                labels.Add(new("bpf_program", name[prefix.Length..^suffix.Length]));
                return canonical;
            }
        }

        return null;
    }

    private static readonly (string Suffix, string Canonical)[] BpfSuffixes =
    [
        ("_run_cnt_total", FalcoMetricTable.BpfRunCount),
        ("_run_time_nanoseconds_total", FalcoMetricTable.BpfRunTime),
        ("_avg_time_nanoseconds", FalcoMetricTable.BpfAverageTime),
    ];

    /// <summary>0.44: <c>scap_n_evts_task&lt;iterator&gt;_total</c> → <c>scap_n_evts_task_total{task_iterator}</c>.</summary>
    private static string? TryTaskIterator(string name, List<KeyValuePair<string, string>> labels)
    {
        foreach (var kind in (ReadOnlySpan<string>)["n_evts_task", "n_drops_task"])
        {
            var prefix = ScapPrefix + kind;
            var canonical = prefix + "_total";
            if (name != canonical && name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith("_total", StringComparison.Ordinal))
            {
                labels.Add(new("task_iterator", name[prefix.Length..^"_total".Length].Trim('_')));
                return canonical;
            }
        }

        return null;
    }

    /// <summary>0.38.0: <c>falco_sha256_rules_file_falco_rules_info{falco_sha256_rules_file_falco_rules="…"}</c>.</summary>
    private static string? TrySha256File(string name, List<KeyValuePair<string, string>> labels)
    {
        foreach (var kind in (ReadOnlySpan<string>)["rules", "config"])
        {
            var prefix = FalcoPrefix + "falco_sha256_" + kind + "_file_";
            // The length check keeps "…_file_" and "_info" from overlapping in "…_file_info" (found by fuzzing).
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith("_info", StringComparison.Ordinal)
                || name.Length <= prefix.Length + "_info".Length)
            {
                continue;
            }

            var file = name[prefix.Length..^"_info".Length];
            var hashLabel = "falco_sha256_" + kind + "_file_" + file;
            var hash = Find(labels, hashLabel) ?? string.Empty;
            labels.RemoveAll(l => l.Key == hashLabel);
            labels.Add(new("file_name", file));
            labels.Add(new("sha256", hash));
            return FalcoPrefix + "sha256_" + kind + "_files_info";
        }

        return null;
    }

    /// <summary>0.38: <c>tags="container, host"</c> → one <c>tag_&lt;x&gt;="true"</c> label each, as 0.39+ writes them.</summary>
    private static void SplitTagList(List<KeyValuePair<string, string>> labels)
    {
        if (Find(labels, "tags") is not { } list)
        {
            return;
        }

        labels.RemoveAll(static l => l.Key == "tags");
        foreach (var tag in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            labels.Add(new("tag_" + tag, "true"));
        }
    }
}
