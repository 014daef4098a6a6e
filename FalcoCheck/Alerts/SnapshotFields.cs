namespace FalcoCheck.Alerts;

/// <summary>
/// The fixed part of a Falco metrics snapshot: each <c>output_fields</c> name with the Prometheus family Falco's own
/// <c>/metrics</c> writes for it. This is the inverse of Falco's two namings, not a second <c>falco.*</c> table: the
/// Prometheus text it yields goes through <see cref="Mapping.FalcoMapper"/> like a scrape, so the one mapping
/// table decides every <c>falco.*</c> name, kind and tag.
/// </summary>
/// <remarks>
/// Sources (read for this table, December 2026):
/// falcosecurity/falco <c>userspace/falco/stats_writer.cpp</c> (the snapshot's field names: wrapper fields, <c>falco.</c>
/// prefix for libsinsp metrics, <c>scap.</c> for kernel and libbpf ones, <c>plugins.</c> for plugin ones, rule counters as
/// <c>falco.rules.&lt;sanitized name&gt;</c>, memory in MiB with one decimal under <c>convert_memory_to_mb</c>);
/// falcosecurity/libs <c>userspace/libsinsp/metrics_collector.cpp</c> (Prometheus names: <c>falcosecurity_&lt;subsystem&gt;_</c>,
/// the libs unit suffix replaced by the Prometheus unit, percentages divided by 100 into <c>_ratio</c>, KiB into
/// <c>_bytes</c>); falcosecurity/falco-website <c>content/en/docs/concepts/metrics/_index.md</c> (0.41.0) and
/// <c>content/en/docs/concepts/metrics/falco-metrics.md</c> (0.39.0): each snapshot next to its Prometheus text.
/// Differences by version: 0.38 writes <c>falco.hostname</c>, 0.39+ <c>evt.hostname</c>; 0.41 adds
/// <c>falco.reload_ts</c>, moves container counts to <c>plugins.container.*</c> and puts <c>evt_source</c> on
/// <c>scap_engine_name_info</c> instead of a separate <c>evt_source_info</c> (see <see cref="MetricsSnapshotTranslator"/>).
/// </remarks>
internal static class SnapshotFields
{
    /// <summary>The rule Falco gives the snapshot alert (stats_writer.cpp, <c>metrics.output_rule: true</c>).</summary>
    public const string Rule = "Falco internal: metrics snapshot";

    private const string F = "falcosecurity_falco_";
    private const string S = "falcosecurity_scap_";

    private const double KiB = 1024;
    private const double MiB = 1024 * 1024;

    private static readonly Dictionary<string, SnapshotField> Exact = Build();

    public static SnapshotField Find(string field) => Exact.GetValueOrDefault(field);

    private static Dictionary<string, SnapshotField> Build()
    {
        var table = new Dictionary<string, SnapshotField>(StringComparer.Ordinal)
        {
            // Wrapper fields, always written.
            ["evt.hostname"] = Info("falcosecurity_evt_hostname_info", "hostname"),
            ["falco.hostname"] = Info("falcosecurity_evt_hostname_info", "hostname"), // 0.38
            ["falco.version"] = Info(F + "version_info", "version"),
            ["falco.kernel_release"] = Info(F + "kernel_release_info", "kernel_release"),
            ["falco.start_ts"] = Gauge(F + "start_timestamp_nanoseconds"),
            ["falco.reload_ts"] = Gauge(F + "reload_timestamp_nanoseconds"), // 0.41+
            ["falco.host_boot_ts"] = Gauge(F + "host_boot_timestamp_nanoseconds"),
            ["falco.duration_sec"] = Counter(F + "duration_seconds_total"),
            ["falco.host_num_cpus"] = Gauge(F + "host_num_cpus_total"),
            ["falco.outputs_queue_num_drops"] = Counter(F + "outputs_queue_num_drops_total"),

            // Resource utilization: percentages become ratios (metrics_collector.cpp: value / 100).
            ["falco.cpu_usage_perc"] = Gauge(F + "cpu_usage_ratio", 0.01),
            ["falco.host_cpu_usage_perc"] = Gauge(F + "host_cpu_usage_ratio", 0.01),
            ["falco.host_procs_running"] = Gauge(F + "host_procs_running_total"),
            ["falco.host_open_fds"] = Gauge(F + "host_open_fds_total"),

            // 0.41+: container counts come from the container plugin.
            ["plugins.container.n_containers"] = Gauge("falcosecurity_plugins_container_n_containers_total"),
            ["plugins.container.n_missing_container_images"] = Gauge("falcosecurity_plugins_container_n_missing_container_images_total"),
        };

        // Memory: _mb under convert_memory_to_mb (Falco's default), else the libs unit (_kb, or _bytes for the container).
        foreach (string memory in (string[])["memory_rss", "memory_vsz", "memory_pss", "container_memory_used", "host_memory_used"])
        {
            string name = F + memory + "_bytes";
            table["falco." + memory + "_mb"] = Gauge(name, MiB);
            table["falco." + memory + "_kb"] = Gauge(name, KiB);
            table["falco." + memory + "_bytes"] = Gauge(name);
        }

        // State counters: falco.* in the snapshot, scap_* in Prometheus; four are current sizes, the rest monotonic.
        foreach (string size in (string[])["n_threads", "n_fds", "n_containers", "n_missing_container_images"])
        {
            table["falco." + size] = Gauge(S + size + "_total");
        }

        foreach (string counter in (string[])["n_noncached_fd_lookups", "n_cached_fd_lookups", "n_failed_fd_lookups", "n_added_fds",
            "n_removed_fds", "n_stored_evts", "n_store_evts_drops", "n_retrieved_evts", "n_retrieve_evts_drops",
            "n_noncached_thread_lookups", "n_cached_thread_lookups", "n_failed_thread_lookups", "n_added_threads",
            "n_removed_threads", "n_drops_full_threadtable"])
        {
            table["falco." + counter] = Counter(S + counter + "_total");
        }

        // Computed by Falco between two snapshots, or totals of labelled series: no Prometheus series of their own
        // (falco-metrics docs: "num_evts and host_netinfo ... not available for Prometheus"; rates are left to queries).
        foreach (string skipped in (string[])["evt.time", "evt.source", "scap.engine_name", "falco.num_evts", "falco.num_evts_prev",
            "falco.evts_rate_sec", "scap.n_evts_prev", "scap.n_drops_prev", "scap.evts_rate_sec", "scap.evts_drop_rate_sec",
            "scap.n_drops_perc", "falco.rules.matches_total", "scap.n_drops_buffer_total"])
        {
            table[skipped] = SnapshotField.Skipped;
        }

        return table;
    }

    private static SnapshotField Info(string name, string label) => new(SnapshotFieldKind.Info, name, label);

    private static SnapshotField Gauge(string name, double scale = 1) => new(SnapshotFieldKind.Gauge, name, Scale: scale);

    private static SnapshotField Counter(string name) => new(SnapshotFieldKind.Counter, name);
}
