using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FalcoCheck.Bench;

/// <summary>
/// Writes a realistic Falco 0.40 <c>/metrics</c> payload, deterministically from a profile and a seed: a port of
/// ../shared/bench/gen_payload.py's behaviour (same series, label sets, order and number formats; its own seeded
/// generator, so the bytes differ from the Python ones but not the shape).
/// </summary>
/// <remarks>
/// As Falco's libs do, every series gets its own <c># HELP</c> and <c># TYPE</c> lines even when the family repeats;
/// labels are in byte order of their names (std::map); doubles are printed as C's <c>%f</c> (six decimals) and
/// integers and nanosecond timestamps in full. Order: Falco-global series (version, sha256, rule counters, jemalloc),
/// then per-source series (engine, libscap counters with per-CPU ones, resource use, state counters), then wrapper
/// series (queue drops, start time, duration, boot time, CPUs).
/// </remarks>
internal static class PayloadGenerator
{
    private const string HelpUrl = "https://falco.org/docs/metrics/";
    private const string Falco = "falcosecurity_falco_";
    private const string Scap = "falcosecurity_scap_";

    // Rule counts drawn for the probe that sizes the huge profile.
    private const int SizingProbeRules = 2000;

    private static readonly int[] Priorities = [2, 3, 4, 4, 4, 5, 5, 5, 6, 7];

    private static readonly string[] StateCounters =
    [
        "noncached_fd_lookups", "cached_fd_lookups", "failed_fd_lookups", "added_fds", "removed_fds", "stored_evts",
        "store_evts_drops", "retrieved_evts", "retrieve_evts_drops", "noncached_thread_lookups",
        "cached_thread_lookups", "failed_thread_lookups", "added_threads", "removed_threads",
    ];

    public static byte[] Render(PayloadProfile profile, int seed = PayloadProfile.DefaultSeed)
    {
        string rngSeed = profile.Name + ":" + seed.ToString(CultureInfo.InvariantCulture);
        if (profile.Rules is { } rules)
        {
            return RenderWith(profile, rules, rngSeed);
        }

        // Size the rule set so that the whole payload lands near the target.
        int rest = RenderWith(profile, 0, rngSeed).Length;
        double perRule = (RenderWith(profile, SizingProbeRules, rngSeed).Length - rest) / (double)SizingProbeRules;
        return RenderWith(profile, (int)((profile.TargetBytes - rest) / perRule), rngSeed);
    }

    private static byte[] RenderWith(PayloadProfile profile, int ruleCount, string rngSeed)
    {
        var rng = SeededRandom.FromText(rngSeed);
        var rules = MakeRules(SeededRandom.FromText(rngSeed + ":rules"), ruleCount);
        var text = new StringBuilder(capacity: 64 * 1024);
        FalcoGlobal(text, rng, profile, rules);
        PerSource(text, rng, profile.Cpus);
        Wrapper(text, rng, profile.Cpus);
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static List<(string Name, int Priority, string[] Tags)> MakeRules(SeededRandom rng, int count)
    {
        var real = new List<(string Name, int Priority, string[] Tags)>(FalcoRuleNames.Real);
        rng.Shuffle(real);
        var rules = real.GetRange(0, Math.Min(count, real.Count));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            seen.Add(rule.Name);
        }

        var tagChoices = FalcoRuleNames.TagPool.AsSpan(3).ToArray();
        for (int i = 1; rules.Count < count; i++)
        {
            string name = $"{rng.Choice(FalcoRuleNames.Verbs)} {rng.Choice(FalcoRuleNames.Objects)} {rng.Choice(FalcoRuleNames.Places)}";
            if (!seen.Add(name) && !seen.Add(name = $"{name} ({i})"))
            {
                continue;
            }

            rng.Shuffle(tagChoices);
            var tags = new SortedSet<string>(tagChoices.AsSpan(0, (int)rng.Between(3, 7)).ToArray(), StringComparer.Ordinal)
            {
                rng.Choice(FalcoRuleNames.TagPool.AsSpan(0, 3).ToArray()),
            };
            rules.Add((name, rng.Choice(Priorities), [.. tags]));
        }

        return rules;
    }

    private static void FalcoGlobal(StringBuilder text, SeededRandom rng, PayloadProfile profile, List<(string Name, int Priority, string[] Tags)> rules)
    {
        Series(text, Falco + "version_info", "gauge", "1", ("version", "0.40.0"));
        foreach (var file in profile.RulesFiles)
        {
            Series(text, Falco + "sha256_rules_files_info", "gauge", "1", ("file_name", file), ("sha256", Sha(rng)));
        }

        foreach (var file in profile.ConfigFiles)
        {
            Series(text, Falco + "sha256_config_files_info", "gauge", "1", ("file_name", file), ("sha256", Sha(rng)));
        }

        foreach (var (name, priority, tags) in rules)
        {
            var labels = new (string, string)[tags.Length + 3];
            labels[0] = ("rule_name", name);
            labels[1] = ("priority", Int(priority));
            labels[2] = ("source", "syscall");
            for (int i = 0; i < tags.Length; i++)
            {
                labels[i + 3] = ("tag_" + tags[i], "true");
            }

            // Heavy-tailed: most rules fire rarely, a few fire a lot.
            Series(text, Falco + "rules_matches_total", "counter", Int(Math.Max(1, (long)Math.Min(rng.Pareto(0.9), 1e15))), labels);
        }

        // jemalloc stats, U64 bytes printed as doubles.
        long baseBytes = rng.Between(40, 90) << 20;
        long[] jemalloc =
        [
            baseBytes + (rng.Between(0, 1 << 20) / 4096 * 4096),
            baseBytes - rng.Between(1 << 20, 4 << 20),
            baseBytes + (rng.Between(8 << 20, 16 << 20) / 4096 * 4096),
            rng.Between(3 << 20, 6 << 20),
            0,
            baseBytes + (rng.Between(4 << 20, 8 << 20) / 4096 * 4096),
            rng.Between(20 << 20, 60 << 20) / 4096 * 4096,
            0,
        ];
        string[] keys = ["active", "allocated", "mapped", "metadata", "metadata_thp", "resident", "retained", "zero_reallocs"];
        for (int i = 0; i < keys.Length; i++)
        {
            Series(text, Falco + "jemalloc_" + keys[i] + "_bytes", "counter", Double(jemalloc[i]));
        }
    }

    private static void PerSource(StringBuilder text, SeededRandom rng, int cpus)
    {
        Series(text, Scap + "engine_name_info", "gauge", "1", ("engine_name", "modern_bpf"));
        Series(text, Falco + "evt_source_info", "gauge", "1", ("evt_source", "syscall"));
        var perCpuEvents = new long[cpus];
        var perCpuDrops = new long[cpus];
        long events = 0;
        long cpuDrops = 0;
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            events += perCpuEvents[cpu] = rng.Between(10_000, 90_000_000);
        }

        for (int cpu = 0; cpu < cpus; cpu++)
        {
            cpuDrops += perCpuDrops[cpu] = rng.NextDouble() < 0.9 ? 0 : rng.Between(1, 5000);
        }

        Series(text, Scap + "n_evts_total", "counter", Int(events));
        long bufferDrops = 0;
        foreach (var drop in (string[])["clone_fork", "execve", "connect", "open", "dir_file", "other_interest", "close", "proc"])
        {
            foreach (var dir in drop is "close" or "proc" ? (string[])["exit"] : ["enter", "exit"])
            {
                long value = rng.NextDouble() < 0.7 ? 0 : rng.Between(1, 20_000);
                bufferDrops += value;
                Series(text, Scap + "n_drops_buffer_total", "counter", Int(value), ("dir", dir), ("drop", drop));
            }
        }

        long scratch = rng.Between(0, 50);
        Series(text, Scap + "n_drops_scratch_map_total", "counter", Int(scratch));
        Series(text, Scap + "n_drops_page_faults_total", "counter", "0");
        Series(text, Scap + "n_drops_bug_total", "counter", "0");
        Series(text, Scap + "n_drops_total", "counter", Int(bufferDrops + scratch + cpuDrops));
        for (int cpu = 0; cpu < cpus; cpu++)
        {
            Series(text, Scap + "n_evts_cpu_total", "counter", Int(perCpuEvents[cpu]), ("cpu", Int(cpu)));
            Series(text, Scap + "n_drops_cpu_total", "counter", Int(perCpuDrops[cpu]), ("cpu", Int(cpu)));
        }

        // Resource use: percentages as ratios, memory as bytes printed as doubles.
        Series(text, Falco + "cpu_usage_ratio", "gauge", Double(Math.Round(0.005 + (rng.NextDouble() * 0.345), 3)));
        long rss = rng.Between(40_000, 400_000) * 1024;
        Series(text, Falco + "memory_rss_bytes", "gauge", Double(rss));
        Series(text, Falco + "memory_vsz_bytes", "gauge", Double(rss * rng.Between(20, 30)));
        Series(text, Falco + "memory_pss_bytes", "gauge", Double(rss - (rng.Between(1000, 8000) * 1024)));
        Series(text, Falco + "container_memory_used_bytes", "gauge", Double(rss + (rng.Between(0, 20000) * 1024)));
        Series(text, Falco + "host_cpu_usage_ratio", "gauge", Double(Math.Round(0.02 + (rng.NextDouble() * 0.88), 3)));
        Series(text, Falco + "host_memory_used_bytes", "gauge", Double(rng.Between(2_000_000, 400_000_000) * 1024));
        Series(text, Falco + "host_procs_running_total", "gauge", Int(rng.Between(1, Math.Max(2, cpus))));
        Series(text, Falco + "host_open_fds_total", "gauge", Int(rng.Between(5_000, 900_000)));
        long threads = rng.Between(800, 60_000);
        Series(text, Scap + "n_threads_total", "gauge", Int(threads));
        Series(text, Scap + "n_fds_total", "gauge", Int(threads * rng.Between(20, 90)));
        foreach (var counter in StateCounters)
        {
            Series(text, Scap + "n_" + counter + "_total", "counter", Int(rng.Between(0, 50_000_000)));
        }

        Series(text, Scap + "n_drops_full_threadtable_total", "counter", "0");
        Series(text, Scap + "n_missing_container_images_total", "gauge", Int(rng.Between(0, 3)));
        Series(text, Scap + "n_containers_total", "gauge", Int(rng.Between(0, 250)));
        Series(text, Falco + "kernel_release_info", "gauge", "1", ("kernel_release", "6.1.0-31-cloud-amd64"));
        Series(text, "falcosecurity_evt_hostname_info", "gauge", "1", ("hostname", "ip-10-0-12-34.ec2.internal"));
    }

    private static void Wrapper(StringBuilder text, SeededRandom rng, int cpus)
    {
        Series(text, Falco + "outputs_queue_num_drops_total", "counter", Int(rng.NextDouble() < 0.8 ? 0 : rng.Between(1, 300)));
        Series(text, Falco + "start_timestamp_nanoseconds", "gauge", "1747146391215396732");
        Series(text, Falco + "duration_seconds_total", "counter", Int(rng.Between(600, 3_000_000)));
        Series(text, Falco + "host_boot_timestamp_nanoseconds", "gauge", "1746977650000000000");
        Series(text, Falco + "host_num_cpus_total", "gauge", Int(cpus));
    }

    /// <summary>One Falco-style series: its own HELP, its own TYPE, then the sample with labels in name order.</summary>
    private static void Series(StringBuilder text, string name, string type, string value, params (string Name, string Value)[] labels)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(HelpUrl).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name);
        if (labels.Length > 0)
        {
            Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(labels[i].Value).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static string Sha(SeededRandom rng)
    {
        Span<byte> seed = stackalloc byte[32];
        for (int i = 0; i < seed.Length; i += 8)
        {
            BitConverter.TryWriteBytes(seed[i..], rng.NextUInt64());
        }

        return Convert.ToHexStringLower(SHA256.HashData(seed));
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>C++ std::to_string(double), i.e. printf("%f").</summary>
    private static string Double(double value) => value.ToString("F6", CultureInfo.InvariantCulture);
}
