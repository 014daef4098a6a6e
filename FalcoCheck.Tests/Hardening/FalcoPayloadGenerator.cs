using System.Globalization;
using System.Text;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// Seeded Falco-like payloads, laid out as Falco 0.40+ writes them (after ../shared/bench/gen_payload.py): HELP
/// and TYPE before every series, labels in byte order, doubles in C's "%f" form, integers and nanosecond
/// timestamps in full, rules with one tag_* label per rule tag, per-CPU counters interleaved. The same seed gives
/// the same bytes.
/// </summary>
internal static class FalcoPayloadGenerator
{
    private const string Falco = "falcosecurity_falco_";
    private const string Scap = "falcosecurity_scap_";

    private static readonly string[] Tags = ["maturity_stable", "host", "container", "filesystem", "process", "network", "mitre_execution", "T1059", "T1555", "NIST_800_53_AC_2"];

    private static readonly string[] Verbs = ["Detect", "Unexpected", "Suspicious", "Read sensitive file", "Launch", "Write below"];

    public static string Generate(int seed, int rules, int cpus)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        Series(text, Falco + "version_info", "gauge", "1", ("version", "0.41." + random.Next(0, 4)));
        Series(text, Falco + "sha256_rules_files_info", "gauge", "1", ("file_name", "falco_rules.yaml"), ("sha256", Sha(random)));
        for (var i = 0; i < rules; i++)
        {
            var labels = new List<(string, string)>
            {
                ("priority", random.Next(0, 8).ToString(CultureInfo.InvariantCulture)),
                ("rule_name", $"{Verbs[random.Next(Verbs.Length)]} rule {i} (\"quoted\" \\ path)"),
                ("source", "syscall"),
            };
            labels.AddRange(Tags.Where(_ => random.Next(3) == 0).Select(tag => ("tag_" + tag, "true")));
            Series(text, Falco + "rules_matches_total", "counter", Count(random), [.. labels]);
        }

        foreach (var jemalloc in new[] { "active", "allocated", "mapped", "resident" })
        {
            Series(text, $"{Falco}jemalloc_{jemalloc}_bytes", "counter", Fixed(random.Next(40 << 20, 90 << 20)));
        }

        Series(text, Scap + "engine_name_info", "gauge", "1", ("engine_name", "modern_bpf"), ("evt_source", "syscall"));
        foreach (var counter in new[] { "n_evts_total", "n_drops_buffer_total", "n_drops_total", "n_retrieved_evts_total" })
        {
            Series(text, Scap + counter, "counter", Count(random) + random.Next(0, 1000), ("engine_name", "modern_bpf"));
        }

        for (var cpu = 0; cpu < cpus; cpu++)
        {
            var id = cpu.ToString(CultureInfo.InvariantCulture);
            Series(text, Scap + "n_evts_cpu_total", "counter", Count(random), ("cpu", id));
            Series(text, Scap + "n_drops_cpu_total", "counter", Count(random), ("cpu", id));
        }

        Series(text, Falco + "cpu_usage_ratio", "gauge", (random.NextDouble() / 4).ToString("F6", CultureInfo.InvariantCulture));
        Series(text, Falco + "memory_rss_bytes", "gauge", Fixed(random.Next(50 << 20, 200 << 20)));
        Series(text, Falco + "host_num_cpus_total", "gauge", cpus.ToString(CultureInfo.InvariantCulture));
        var startNs = 1_747_146_391_000_000_000L + random.NextInt64(0, 1_000_000_000_000);
        Series(text, Falco + "start_timestamp_nanoseconds", "gauge", startNs.ToString(CultureInfo.InvariantCulture));
        Series(text, Falco + "host_boot_timestamp_nanoseconds", "gauge", (startNs - random.NextInt64(1, 1L << 50)).ToString(CultureInfo.InvariantCulture));
        Series(text, Falco + "duration_seconds_total", "counter", random.Next(1, 100_000).ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static void Series(StringBuilder text, string name, string type, string value, params (string Name, string Value)[] labels)
    {
        text.Append("# HELP ").Append(name).Append(" https://falco.org/docs/metrics/\n");
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').AppendJoin(',', labels.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => $"{l.Name}=\"{TextSample.Escape(l.Value)}\"")).Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static string Count(Random random) => ((long)Math.Pow(10, random.NextDouble() * 12)).ToString(CultureInfo.InvariantCulture);

    private static string Fixed(long bytes) => bytes.ToString(CultureInfo.InvariantCulture) + ".000000";

    private static string Sha(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
