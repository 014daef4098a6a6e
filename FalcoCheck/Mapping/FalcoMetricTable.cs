namespace FalcoCheck.Mapping;

/// <summary>
/// The falco.* contract: the 50 metrics of the Datadog Falco integration (metadata.csv), each with every raw
/// family name Falco has used for it. The <c># TYPE</c> Falco declares is noted per group; the kind submitted
/// follows the documented list.
/// </summary>
internal static class FalcoMetricTable
{
    /// <summary>Namespace for extra_metrics, as Datadog's OpenMetrics V2 check prefixes them.</summary>
    public const string Namespace = "falco";

    /// <summary>Names the derived signals (<see cref="FalcoSignals"/>) and the rule cap (<see cref="RuleCap"/>) read back.</summary>
    public const string RulesMatches = "falco.rules.matches.count";

    public const string OutputsQueueDrops = "falco.outputs.queue.num.drops.count";

    public const string ScapEvents = "falco.scap.n.evts.count";

    public const string ScapDrops = "falco.scap.n.drops.count";

    private const string P = "falcosecurity_falco_";
    private const string S = "falcosecurity_scap_";

    public static readonly MetricRow[] Rows =
    [
        // # TYPE gauge: Falco process and host resource utilisation.
        new([P + "container_memory_used_bytes"], "falco.container.memory.used", MetricKind.Gauge, "byte", Switch: Resources),
        new([P + "cpu_usage_ratio"], "falco.cpu.usage.ratio", MetricKind.Gauge, Switch: Resources),
        new([P + "memory_pss_bytes"], "falco.memory.pss", MetricKind.Gauge, "byte", Switch: Resources),
        new([P + "memory_rss_bytes"], "falco.memory.rss", MetricKind.Gauge, "byte", Switch: Resources),
        new([P + "memory_vsz_bytes"], "falco.memory.vsz", MetricKind.Gauge, "byte", Switch: Resources),
        new([P + "host_cpu_usage_ratio"], "falco.host.cpu.usage.ratio", MetricKind.Gauge, Switch: Resources),
        new([P + "host_memory_used_bytes"], "falco.host.memory.used", MetricKind.Gauge, "byte", Switch: Resources),
        new([P + "host_num_cpus_total"], "falco.host.num.cpus", MetricKind.Gauge, "cpu"),
        new([P + "host_open_fds_total"], "falco.host.open.fds", MetricKind.Gauge, "file", Switch: Resources),
        new([P + "host_procs_running_total"], "falco.host.procs.running", MetricKind.Gauge, "process", Switch: Resources),

        // # TYPE gauge, value 1: information carried by labels (they become tags).
        new(["falcosecurity_evt_hostname_info", P + "evt_hostname_info"], "falco.evt.hostname", MetricKind.Gauge),
        new([P + "evt_source_info"], "falco.evt.source", MetricKind.Gauge),
        new([P + "kernel_release_info"], "falco.kernel.release", MetricKind.Gauge),
        new([S + "engine_name_info", P + "engine_name_info"], "falco.scap.engine.name", MetricKind.Gauge),
        new([P + "sha256_config_files_info", P + "falco_sha256_config_files_info"], "falco.sha256.config.files", MetricKind.Gauge),
        new([P + "sha256_rules_files_info", P + "falco_sha256_rules_files_info"], "falco.sha256.rules.files", MetricKind.Gauge),

        // # TYPE counter: Falco's own counters.
        new([P + "duration_seconds_total"], "falco.duration.seconds.count", MetricKind.MonotonicCount, "second"),
        new([P + "outputs_queue_num_drops_total"], OutputsQueueDrops, MetricKind.MonotonicCount),
        // 0.39+ rules_matches_total; 0.38.1/0.38.2 rules_counters_total.
        new([P + "rules_matches_total", P + "rules_counters_total"], RulesMatches, MetricKind.MonotonicCount, Switch: Rules),

        // # TYPE counter: jemalloc sizes that Falco declares as counters; the documented list keeps them as counts.
        new([P + "jemalloc_active_bytes"], "falco.jemalloc.active.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.active", Switch: Jemalloc),
        new([P + "jemalloc_allocated_bytes"], "falco.jemalloc.allocated.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.allocated", Switch: Jemalloc),
        new([P + "jemalloc_mapped_bytes"], "falco.jemalloc.mapped.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.mapped", Switch: Jemalloc),
        new([P + "jemalloc_metadata_bytes"], "falco.jemalloc.metadata.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.metadata", Switch: Jemalloc),
        new([P + "jemalloc_metadata_thp_bytes"], "falco.jemalloc.metadata.thp.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.metadata.thp", Switch: Jemalloc),
        new([P + "jemalloc_resident_bytes"], "falco.jemalloc.resident.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.resident", Switch: Jemalloc),
        new([P + "jemalloc_retained_bytes"], "falco.jemalloc.retained.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.retained", Switch: Jemalloc),
        new([P + "jemalloc_zero_reallocs_bytes"], "falco.jemalloc.zero.reallocs.count", MetricKind.MonotonicCount, "byte", GaugeTwin: "falco.jemalloc.zero.reallocs", Switch: Jemalloc),

        // # TYPE gauge (despite _total): libscap table sizes. 0.41+ moved container counts to the container plugin.
        new([S + "n_threads_total"], "falco.scap.n.threads", MetricKind.Gauge, "thread", PerEngine: true, Switch: State),
        new([S + "n_fds_total"], "falco.scap.n.fds", MetricKind.Gauge, "file", PerEngine: true, Switch: State),
        new([S + "n_containers_total", "falcosecurity_plugins_container_n_containers_total"], "falco.scap.n.containers", MetricKind.Gauge, PerEngine: true, Switch: State),
        new([S + "n_missing_container_images_total", "falcosecurity_plugins_container_n_missing_container_images_total"], "falco.scap.n.missing.container.images", MetricKind.Gauge, PerEngine: true, Switch: State),

        // # TYPE counter: libscap event and drop counters.
        new([S + "n_evts_total"], ScapEvents, MetricKind.MonotonicCount, PerEngine: true, Switch: Kernel),
        new([S + "n_drops_total"], ScapDrops, MetricKind.MonotonicCount, PerEngine: true, Switch: Kernel),
        new([S + "n_drops_buffer_total"], "falco.scap.n.drops.buffer.count", MetricKind.MonotonicCount, PerEngine: true, Switch: Kernel),
        new([S + "n_drops_full_threadtable_total"], "falco.scap.n.drops.full.threadtable.count", MetricKind.MonotonicCount, PerEngine: true, Switch: Kernel),
        new([S + "n_drops_scratch_map_total"], "falco.scap.n.drops.scratch.map.count", MetricKind.MonotonicCount, PerEngine: true, Switch: Kernel),
        new([S + "n_retrieved_evts_total"], "falco.scap.n.retrieved.evts.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),
        new([S + "n_retrieve_evts_drops_total"], "falco.scap.n.retrieve.evts.drops.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),
        new([S + "n_stored_evts_total"], "falco.scap.n.stored.evts.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),
        new([S + "n_store_evts_drops_total"], "falco.scap.n.store.evts.drops.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),

        // # TYPE counter: libsinsp state table activity.
        new([S + "n_added_fds_total"], "falco.scap.n.added.fds.count", MetricKind.MonotonicCount, "file", PerEngine: true, Switch: State),
        new([S + "n_removed_fds_total"], "falco.scap.n.removed.fds.count", MetricKind.MonotonicCount, "file", PerEngine: true, Switch: State),
        new([S + "n_added_threads_total"], "falco.scap.n.added.threads.count", MetricKind.MonotonicCount, "thread", PerEngine: true, Switch: State),
        new([S + "n_removed_threads_total"], "falco.scap.n.removed.threads.count", MetricKind.MonotonicCount, "thread", PerEngine: true, Switch: State),
        new([S + "n_cached_fd_lookups_total"], "falco.scap.n.cached.fd.lookups.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),
        new([S + "n_noncached_fd_lookups_total"], "falco.scap.n.noncached.fd.lookups.count", MetricKind.MonotonicCount, "file", PerEngine: true, Switch: State),
        new([S + "n_failed_fd_lookups_total"], "falco.scap.n.failed.fd.lookups.count", MetricKind.MonotonicCount, "file", PerEngine: true, Switch: State),
        new([S + "n_cached_thread_lookups_total"], "falco.scap.n.cached.thread.lookups.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),
        new([S + "n_noncached_thread_lookups_total"], "falco.scap.n.noncached.thread.lookups.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),
        new([S + "n_failed_thread_lookups_total"], "falco.scap.n.failed.thread.lookups.count", MetricKind.MonotonicCount, PerEngine: true, Switch: State),

        // FalcoCheck's own (extended_metrics): newer Falco series, one metric name each with the varying part as a tag.
        new([S + "n_evts_cpu_total"], "falco.scap.n.evts.cpu.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: PerCpu),
        new([S + "n_drops_cpu_total"], "falco.scap.n.drops.cpu.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: PerCpu),
        new([S + "n_drops_page_faults_total"], "falco.scap.n.drops.page.faults.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: Kernel),
        new([S + "n_drops_bug_total"], "falco.scap.n.drops.bug.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: Kernel),
        new([S + "n_preemptions_total"], "falco.scap.n.preemptions.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: Kernel),
        new([S + "n_evts_task_total"], "falco.scap.n.evts.task.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: Kernel),
        new([S + "n_drops_task_total"], "falco.scap.n.drops.task.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: Kernel),
        new([BpfRunCount], "falco.scap.bpf.run.cnt.count", MetricKind.MonotonicCount, PerEngine: true, Extended: true, Switch: Libbpf),
        new([BpfRunTime], "falco.scap.bpf.run.time.count", MetricKind.MonotonicCount, "nanosecond", PerEngine: true, Extended: true, Switch: Libbpf),
        new([BpfAverageTime], "falco.scap.bpf.avg.time", MetricKind.Gauge, "nanosecond", PerEngine: true, Extended: true, Switch: Libbpf),
    ];

    /// <summary>Canonical names the normaliser gives libbpf program stats (one name per program in Falco).</summary>
    public const string BpfRunCount = S + "bpf_run_cnt_total";
    public const string BpfRunTime = S + "bpf_run_time_nanoseconds_total";
    public const string BpfAverageTime = S + "bpf_avg_time_nanoseconds";

    // falco.yaml switches, for the README and the missing-series diagnostics.
    public const string Jemalloc = "metrics.jemalloc_stats_enabled";
    public const string PerCpu = "metrics.kernel_event_counters_per_cpu_enabled";
    public const string Kernel = "metrics.kernel_event_counters_enabled";
    public const string Libbpf = "metrics.libbpf_stats_enabled";
    public const string Resources = "metrics.resource_utilization_enabled";
    public const string State = "metrics.state_counters_enabled";
    public const string Rules = "metrics.rules_counters_enabled";
    public const string Plugins = "metrics.plugins_metrics_enabled";

    public const string VersionInfo = P + "version_info";
    public const string StartTimestamp = P + "start_timestamp_nanoseconds";
    public const string ReloadTimestamp = P + "reload_timestamp_nanoseconds";
    public const string EngineNameInfo = S + "engine_name_info";
    public const string BootTimestamp = P + "host_boot_timestamp_nanoseconds";
    public const string KernelReleaseInfo = P + "kernel_release_info";
    public const string EventSourceInfo = P + "evt_source_info";

    /// <summary>Label renames so Falco's labels do not collide with tags the backend reserves.</summary>
    public static string RenameLabel(string label) => label switch
    {
        "hostname" => "falco_hostname",
        "version" => "falco_version",
        _ => label,
    };

    /// <summary>Labels that never become tags: 0.38's <c>raw_name</c> duplicates the metric name.</summary>
    public static bool IsDroppedLabel(string label) => label == "raw_name";

    private static readonly Dictionary<string, MetricRow> ByRawName = BuildIndex();

    public static MetricRow? Find(string rawName) => ByRawName.GetValueOrDefault(rawName);

    private static Dictionary<string, MetricRow> BuildIndex()
    {
        var index = new Dictionary<string, MetricRow>(StringComparer.Ordinal);
        foreach (var row in Rows)
        {
            foreach (var raw in row.RawNames)
            {
                index.Add(raw, row);
            }
        }

        return index;
    }
}
