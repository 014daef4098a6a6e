using System.Text;

namespace FalcoCheck.Tests.Mapping;

/// <summary>
/// Payloads written to match each Falco release's naming (facts from Falco's metrics documentation per release),
/// all describing the same underlying counters: 31452 events, two buffer drop categories, one rule with 2 matches.
/// </summary>
internal static class FalcoReleasePayloads
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["0.38.0"] = V0380(),
        ["0.38.2"] = V0382(),
        ["0.39.1"] = Modern("0.39.1", containersFromPlugin: false, deprecatedEnter: false, iterators: false),
        ["0.41.0"] = Modern("0.41.0", containersFromPlugin: true, deprecatedEnter: false, iterators: false),
        ["0.42.0"] = Modern("0.42.0", containersFromPlugin: true, deprecatedEnter: true, iterators: false),
        ["0.44.0"] = Modern("0.44.0", containersFromPlugin: true, deprecatedEnter: true, iterators: true),
    };

    private static string Line(StringBuilder text, string family, string type, string sample, string help = "https://falco.org/docs/metrics/")
    {
        // Falco writes HELP and TYPE before every sample.
        text.Append("# HELP ").Append(family).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(family).Append(' ').Append(type).Append('\n')
            .Append(sample).Append('\n');
        return family;
    }

    private static string V0380()
    {
        var t = new StringBuilder();
        Line(t, "falcosecurity_scap_engine_name_info", "gauge", "falcosecurity_scap_engine_name_info{raw_name=\"engine_name\",engine_name=\"bpf\"} 1");
        Line(t, "falcosecurity_falco_version_info", "gauge", "falcosecurity_falco_version_info{raw_name=\"version\",version=\"0.38.0\"} 1");
        Line(t, "falcosecurity_falco_kernel_release_info", "gauge", "falcosecurity_falco_kernel_release_info{raw_name=\"kernel_release\",kernel_release=\"6.7.9-200.fc39.x86_64\"} 1");
        Line(t, "falcosecurity_evt_hostname_info", "gauge", "falcosecurity_evt_hostname_info{raw_name=\"hostname\",hostname=\"test\"} 1");
        Line(t, "falcosecurity_falco_falco_sha256_rules_file_falco_rules_info", "gauge", "falcosecurity_falco_falco_sha256_rules_file_falco_rules_info{raw_name=\"falco_sha256_rules_file_falco_rules\",falco_sha256_rules_file_falco_rules=\"f176455a\"} 1");
        Line(t, "falcosecurity_falco_falco_sha256_config_file_falco_info", "gauge", "falcosecurity_falco_falco_sha256_config_file_falco_info{raw_name=\"falco_sha256_config_file_falco\",falco_sha256_config_file_falco=\"c78b5de8\"} 1");
        Line(t, "falcosecurity_falco_evt_source_info", "gauge", "falcosecurity_falco_evt_source_info{raw_name=\"evt_source\",evt_source=\"syscall\"} 1");
        Line(t, "falcosecurity_falco_start_timestamp_nanoseconds", "gauge", "falcosecurity_falco_start_timestamp_nanoseconds{raw_name=\"start_ts\"} 1716133792148691117");
        Line(t, "falcosecurity_falco_host_num_cpus_total", "gauge", "falcosecurity_falco_host_num_cpus_total{raw_name=\"host_num_cpus\"} 20");
        Line(t, "falcosecurity_falco_duration_seconds_total", "counter", "falcosecurity_falco_duration_seconds_total{raw_name=\"duration_sec\"} 13");
        Line(t, "falcosecurity_falco_n_evts_total", "counter", "falcosecurity_falco_n_evts_total{raw_name=\"n_evts\"} 31452");
        Line(t, "falcosecurity_falco_n_drops_buffer_total", "counter", "falcosecurity_falco_n_drops_buffer_total{raw_name=\"n_drops_buffer_total\"} 7");
        Line(t, "falcosecurity_falco_n_drops_buffer_clone_fork_exit_total", "counter", "falcosecurity_falco_n_drops_buffer_clone_fork_exit_total{raw_name=\"n_drops_buffer_clone_fork_exit\"} 3");
        Line(t, "falcosecurity_falco_n_drops_buffer_other_interest_exit_total", "counter", "falcosecurity_falco_n_drops_buffer_other_interest_exit_total{raw_name=\"n_drops_buffer_other_interest_exit\"} 4");
        Line(t, "falcosecurity_falco_n_drops_total", "counter", "falcosecurity_falco_n_drops_total{raw_name=\"n_drops\"} 7");
        Line(t, "falcosecurity_falco_rules_matches_total", "counter", "falcosecurity_falco_rules_matches_total{raw_name=\"rules.matches_total\"} 2");
        Line(t, "falcosecurity_falco_rules_Terminal_shell_in_container_total", "counter",
            "falcosecurity_falco_rules_Terminal_shell_in_container_total{raw_name=\"rules.Terminal_shell_in_container\",priority=\"5\",rule=\"Terminal shell in container\",source=\"syscall\",tags=\"container, shell, T1059\"} 2");
        Line(t, "falcosecurity_falco_sys_enter_run_cnt_total", "counter", "falcosecurity_falco_sys_enter_run_cnt_total{raw_name=\"sys_enter.run_cnt\"} 342334");
        return t.ToString();
    }

    private static string V0382()
    {
        var t = new StringBuilder();
        Line(t, "falcosecurity_scap_engine_name_info", "gauge", "falcosecurity_scap_engine_name_info{engine_name=\"bpf\"} 1");
        Line(t, "falcosecurity_falco_version_info", "gauge", "falcosecurity_falco_version_info{version=\"0.38.2\"} 1");
        Line(t, "falcosecurity_falco_kernel_release_info", "gauge", "falcosecurity_falco_kernel_release_info{kernel_release=\"6.7.9-200.fc39.x86_64\"} 1");
        Line(t, "falcosecurity_evt_hostname_info", "gauge", "falcosecurity_evt_hostname_info{hostname=\"test\"} 1");
        Line(t, "falcosecurity_falco_falco_sha256_rules_files_info", "gauge", "falcosecurity_falco_falco_sha256_rules_files_info{file_name=\"falco_rules\",sha256=\"f176455a\"} 1");
        Line(t, "falcosecurity_falco_falco_sha256_config_files_info", "gauge", "falcosecurity_falco_falco_sha256_config_files_info{file_name=\"falco\",sha256=\"c78b5de8\"} 1");
        Line(t, "falcosecurity_falco_evt_source_info", "gauge", "falcosecurity_falco_evt_source_info{evt_source=\"syscall\"} 1");
        Line(t, "falcosecurity_falco_start_timestamp_nanoseconds", "gauge", "falcosecurity_falco_start_timestamp_nanoseconds 1716133792148691117");
        Line(t, "falcosecurity_falco_host_num_cpus_total", "gauge", "falcosecurity_falco_host_num_cpus_total 20");
        Line(t, "falcosecurity_falco_duration_seconds_total", "counter", "falcosecurity_falco_duration_seconds_total 13");
        Line(t, "falcosecurity_falco_n_evts_total", "counter", "falcosecurity_falco_n_evts_total 31452");
        Line(t, "falcosecurity_falco_n_drops_buffer_total", "counter", "falcosecurity_falco_n_drops_buffer_total{dir=\"exit\",drop=\"clone_fork\"} 3");
        Line(t, "falcosecurity_falco_n_drops_buffer_total", "counter", "falcosecurity_falco_n_drops_buffer_total{dir=\"exit\",drop=\"other_interest\"} 4");
        Line(t, "falcosecurity_falco_n_drops_total", "counter", "falcosecurity_falco_n_drops_total 7");
        Line(t, "falcosecurity_falco_rules_counters_total", "counter",
            "falcosecurity_falco_rules_counters_total{rule_name=\"Terminal shell in container\",priority=\"5\",source=\"syscall\",tags=\"container, shell, T1059\"} 2");
        Line(t, "falcosecurity_scap_sys_enter_run_cnt_total", "counter", "falcosecurity_scap_sys_enter_run_cnt_total 342334");
        return t.ToString();
    }

    private static string Modern(string version, bool containersFromPlugin, bool deprecatedEnter, bool iterators)
    {
        var t = new StringBuilder();
        var engineLabels = containersFromPlugin ? "engine_name=\"bpf\",evt_source=\"syscall\"" : "engine_name=\"bpf\"";
        Line(t, "falcosecurity_scap_engine_name_info", "gauge", $"falcosecurity_scap_engine_name_info{{{engineLabels}}} 1");
        Line(t, "falcosecurity_falco_version_info", "gauge", $"falcosecurity_falco_version_info{{version=\"{version}\"}} 1");
        Line(t, "falcosecurity_falco_kernel_release_info", "gauge", "falcosecurity_falco_kernel_release_info{kernel_release=\"6.7.9-200.fc39.x86_64\"} 1");
        Line(t, "falcosecurity_evt_hostname_info", "gauge", "falcosecurity_evt_hostname_info{hostname=\"test\"} 1");
        Line(t, "falcosecurity_falco_sha256_rules_files_info", "gauge", "falcosecurity_falco_sha256_rules_files_info{file_name=\"falco_rules\",sha256=\"f176455a\"} 1");
        Line(t, "falcosecurity_falco_sha256_config_files_info", "gauge", "falcosecurity_falco_sha256_config_files_info{file_name=\"falco\",sha256=\"c78b5de8\"} 1");
        Line(t, "falcosecurity_falco_evt_source_info", "gauge", "falcosecurity_falco_evt_source_info{evt_source=\"syscall\"} 1");
        Line(t, "falcosecurity_falco_start_timestamp_nanoseconds", "gauge", "falcosecurity_falco_start_timestamp_nanoseconds 1716133792148691117");
        Line(t, "falcosecurity_falco_host_num_cpus_total", "gauge", "falcosecurity_falco_host_num_cpus_total 20");
        Line(t, "falcosecurity_falco_duration_seconds_total", "counter", "falcosecurity_falco_duration_seconds_total 13");
        Line(t, "falcosecurity_scap_n_evts_total", "counter", "falcosecurity_scap_n_evts_total 31452");
        if (deprecatedEnter)
        {
            Line(t, "falcosecurity_scap_n_drops_buffer_total", "counter", "falcosecurity_scap_n_drops_buffer_total{dir=\"enter\",drop=\"clone_fork\"} 0",
                "DEPRECATED: enter events are no longer dropped separately; always 0");
        }

        Line(t, "falcosecurity_scap_n_drops_buffer_total", "counter", "falcosecurity_scap_n_drops_buffer_total{dir=\"exit\",drop=\"clone_fork\"} 3");
        Line(t, "falcosecurity_scap_n_drops_buffer_total", "counter", "falcosecurity_scap_n_drops_buffer_total{dir=\"exit\",drop=\"other_interest\"} 4");
        Line(t, "falcosecurity_scap_n_drops_total", "counter", "falcosecurity_scap_n_drops_total 7");
        Line(t, "falcosecurity_falco_rules_matches_total", "counter",
            "falcosecurity_falco_rules_matches_total{priority=\"5\",rule_name=\"Terminal shell in container\",source=\"syscall\",tag_T1059=\"true\",tag_container=\"true\",tag_shell=\"true\"} 2");
        Line(t, "falcosecurity_scap_sys_enter_run_cnt_total", "counter", "falcosecurity_scap_sys_enter_run_cnt_total 342334");
        var containers = containersFromPlugin ? "falcosecurity_plugins_container_n_containers_total" : "falcosecurity_scap_n_containers_total";
        Line(t, containers, "gauge", containers + " 12");
        if (iterators)
        {
            Line(t, "falcosecurity_scap_n_evts_task_iter_total", "counter", "falcosecurity_scap_n_evts_task_iter_total 88");
        }

        return t.ToString();
    }
}
