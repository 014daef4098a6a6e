using System.Text;
using System.Text.Json;
using FalcoCheck.Alerts;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// The snapshot ─► Prometheus text translation, field kind by field kind, checked on the text itself and by reading
/// it back with our parser (every translated line must be valid Prometheus text).
/// </summary>
[TestFixture]
internal sealed class MetricsSnapshotTranslatorTests
{
    private static string Alert(string fields, string version = "0.41.0") =>
        "{\"hostname\":\"top-host\",\"output\":\"Falco metrics snapshot\",\"priority\":\"Informational\",\"rule\":\"Falco internal: metrics snapshot\","
        + "\"source\":\"internal\",\"time\":\"2025-05-29T22:42:40.280502756Z\",\"output_fields\":{\"falco.version\":\"" + version + "\""
        + (fields.Length > 0 ? "," + fields : string.Empty) + "}}";

    private static IEnumerable<TestCaseData> FieldKinds()
    {
        TestCaseData Case(string name, string field, string expected) => new TestCaseData(field, expected).SetName(name);

        yield return Case("info: kernel release", "\"falco.kernel_release\":\"6.14.6\"", "falcosecurity_falco_kernel_release_info{kernel_release=\"6.14.6\"} 1\n");
        yield return Case("gauge: nanosecond timestamp keeps every digit", "\"falco.start_ts\":1748558475711424160",
            "# TYPE falcosecurity_falco_start_timestamp_nanoseconds gauge\nfalcosecurity_falco_start_timestamp_nanoseconds 1748558475711424160\n");
        yield return Case("counter: duration", "\"falco.duration_sec\":216", "# TYPE falcosecurity_falco_duration_seconds_total counter\nfalcosecurity_falco_duration_seconds_total 216\n");
        yield return Case("perc becomes ratio", "\"falco.cpu_usage_perc\":1.4", "falcosecurity_falco_cpu_usage_ratio 0.014\n");
        yield return Case("memory _mb becomes bytes", "\"falco.memory_rss_mb\":76.5", "falcosecurity_falco_memory_rss_bytes 80216064\n");
        yield return Case("memory _kb becomes bytes", "\"falco.host_memory_used_kb\":1000", "falcosecurity_falco_host_memory_used_bytes 1024000\n");
        yield return Case("memory _bytes as is", "\"falco.container_memory_used_bytes\":4096", "falcosecurity_falco_container_memory_used_bytes 4096\n");
        yield return Case("state gauge: falco. in the snapshot, scap_ in Prometheus", "\"falco.n_threads\":1644",
            "# TYPE falcosecurity_scap_n_threads_total gauge\nfalcosecurity_scap_n_threads_total 1644\n");
        yield return Case("state counter", "\"falco.n_added_fds\":45181", "# TYPE falcosecurity_scap_n_added_fds_total counter\nfalcosecurity_scap_n_added_fds_total 45181\n");
        yield return Case("kernel counter", "\"scap.n_evts\":17613", "# TYPE falcosecurity_scap_n_evts_total counter\nfalcosecurity_scap_n_evts_total 17613\n");
        yield return Case("newer kernel counter by rule", "\"scap.n_preemptions\":3", "falcosecurity_scap_n_preemptions_total 3\n");
        yield return Case("buffer drop: drop and dir labels", "\"scap.n_drops_buffer_other_interest_exit\":2",
            "falcosecurity_scap_n_drops_buffer_total{dir=\"exit\",drop=\"other_interest\"} 2\n");
        yield return Case("per-CPU counter", "\"scap.n_evts_cpu_12\":2331", "falcosecurity_scap_n_evts_cpu_total{cpu=\"12\"} 2331\n");
        yield return Case("per-CPU drops", "\"scap.n_drops_cpu_3\":1", "falcosecurity_scap_n_drops_cpu_total{cpu=\"3\"} 1\n");
        yield return Case("libbpf run count", "\"scap.sys_enter.run_cnt\":317515", "# TYPE falcosecurity_scap_sys_enter_run_cnt_total counter\nfalcosecurity_scap_sys_enter_run_cnt_total 317515\n");
        yield return Case("libbpf run time", "\"scap.sys_exit.run_time_ns\":214464597", "falcosecurity_scap_sys_exit_run_time_nanoseconds_total 214464597\n");
        yield return Case("libbpf average", "\"scap.sched_proc_exit.avg_time_ns\":3339",
            "# TYPE falcosecurity_scap_sched_proc_exit_avg_time_nanoseconds gauge\nfalcosecurity_scap_sched_proc_exit_avg_time_nanoseconds 3339\n");
        yield return Case("rule counter: sanitized name as rule_name", "\"falco.rules.Read_sensitive_file_untrusted\":18",
            "# TYPE falcosecurity_falco_rules_matches_total counter\nfalcosecurity_falco_rules_matches_total{rule_name=\"Read_sensitive_file_untrusted\"} 18\n");
        yield return Case("rules file hash: extension dot put back", "\"falco.sha256_rules_file.falco_rules_yaml\":\"58a4\"",
            "falcosecurity_falco_sha256_rules_files_info{file_name=\"falco_rules.yaml\",sha256=\"58a4\"} 1\n");
        yield return Case("config file hash", "\"falco.sha256_config_file.falco_yaml\":\"7bf2\"",
            "falcosecurity_falco_sha256_config_files_info{file_name=\"falco.yaml\",sha256=\"7bf2\"} 1\n");
        yield return Case("jemalloc _mb", "\"falco.jemalloc.active_mb\":2.0", "# TYPE falcosecurity_falco_jemalloc_active_bytes counter\nfalcosecurity_falco_jemalloc_active_bytes 2097152\n");
        yield return Case("jemalloc _bytes", "\"falco.jemalloc.resident_bytes\":12345", "falcosecurity_falco_jemalloc_resident_bytes 12345\n");
        yield return Case("0.41 container plugin", "\"plugins.container.n_containers\":4", "# TYPE falcosecurity_plugins_container_n_containers_total gauge\nfalcosecurity_plugins_container_n_containers_total 4\n");
        yield return Case("label value escaped", "\"evt.hostname\":\"a\\\"b\\\\c\"", "falcosecurity_evt_hostname_info{hostname=\"a\\\"b\\\\c\"} 1\n");
    }

    [TestCaseSource(nameof(FieldKinds))]
    public void Each_field_kind_becomes_the_sample_Falco_writes(string field, string expected)
    {
        var (snapshot, text, notices, _) = SnapshotSamples.Translate(Alert(field));

        Assert.That(snapshot, Is.Not.Null);
        Assert.That(notices, Is.Empty);
        Assert.That(text, Does.Contain(expected));
        AssertValidPrometheusText(text);
    }

    [TestCase("\"falco.num_evts\":5,\"falco.evts_rate_sec\":1.5,\"scap.n_drops_perc\":0.0,\"scap.n_evts_prev\":1,\"falco.rules.matches_total\":27,\"scap.n_drops_buffer_total\":0,\"falco.host_netinfo.interfaces.lo.protocols.ipv4.addresses\":\"127.0.0.1\"",
        TestName = "derived fields and totals have no Prometheus series: skipped without a notice")]
    public void Fields_without_a_Prometheus_series_are_skipped_quietly(string fields)
    {
        var (_, text, notices, _) = SnapshotSamples.Translate(Alert(fields));

        Assert.That(notices, Is.Empty);
        Assert.That(text, Does.Not.Contain("num_evts").And.Not.Contain("rate").And.Not.Contain("netinfo").And.Not.Contain("matches_total{}"));
        Assert.That(text, Does.Not.Contain("n_drops_buffer_total "), "the unlabelled total is left to queries");
    }

    [Test]
    public void An_unknown_field_and_a_non_numeric_value_give_notices_naming_the_line_and_the_rest_is_kept()
    {
        var (snapshot, text, notices, _) = SnapshotSamples.Translate(Alert(
            "\"falco.brand_new\":1,\"scap.n_evts\":\"many\",\"falco.version_x\":true,\"scap.n_drops\":4,\"falco.kernel_release\":5"));

        Assert.That(snapshot, Is.Not.Null);
        Assert.That(notices, Is.EquivalentTo(new[]
        {
            "line 7: metrics snapshot field 'falco.brand_new' is not a Falco metric FalcoCheck knows (Falco 0.38 to 0.41); skipped",
            "line 7: metrics snapshot field 'scap.n_evts' must be a number, got a string; skipped",
            "line 7: metrics snapshot field 'falco.version_x' is not a Falco metric FalcoCheck knows (Falco 0.38 to 0.41); skipped",
            "line 7: metrics snapshot field 'falco.kernel_release' must be a string, got a number; skipped",
        }));
        Assert.That(text, Does.Contain("falcosecurity_scap_n_drops_total 4\n"));
        Assert.That(text, Does.Not.Contain("n_evts"));
        AssertValidPrometheusText(text);
    }

    [Test]
    public void A_snapshot_without_output_fields_is_an_error_naming_the_line()
    {
        var (snapshot, _, _, error) = SnapshotSamples.Translate("{\"rule\":\"Falco internal: metrics snapshot\",\"priority\":\"Informational\"}");

        Assert.That(snapshot, Is.Null);
        Assert.That(error, Is.EqualTo("line 7: Falco metrics snapshot without an output_fields object"));
    }

    [Test]
    public void Falco_041_puts_the_event_source_on_the_engine_series()
    {
        var (_, text, _, _) = SnapshotSamples.Translate(Alert("\"evt.source\":\"syscall\",\"scap.engine_name\":\"modern_bpf\""));

        Assert.That(text, Does.Contain("falcosecurity_scap_engine_name_info{engine_name=\"modern_bpf\",evt_source=\"syscall\"} 1\n"));
        Assert.That(text, Does.Not.Contain("evt_source_info"));
    }

    [TestCase("0.39.0")]
    [TestCase("0.40.0")]
    public void Falco_before_041_has_a_separate_event_source_series(string version)
    {
        var (_, text, _, _) = SnapshotSamples.Translate(Alert("\"evt.source\":\"k8s_audit\",\"scap.engine_name\":\"source_plugin\"", version));

        Assert.That(text, Does.Contain("falcosecurity_scap_engine_name_info{engine_name=\"source_plugin\"} 1\n"));
        Assert.That(text, Does.Contain("falcosecurity_falco_evt_source_info{evt_source=\"k8s_audit\"} 1\n"));
    }

    [Test]
    public void Falco_038_hostname_field_and_the_alerts_own_hostname_are_used_in_that_order()
    {
        var (v038, text, _, _) = SnapshotSamples.Translate(Alert("\"falco.hostname\":\"node-38\",\"evt.time\":1700000000123456789", "0.38.1"));
        var (bare, _, _, _) = SnapshotSamples.Translate(Alert(string.Empty));

        Assert.That(v038!.Hostname, Is.EqualTo("node-38"));
        Assert.That(text, Does.Contain("falcosecurity_evt_hostname_info{hostname=\"node-38\"} 1\n"));
        Assert.That(v038.TimeNanos, Is.EqualTo(1700000000123456789), "evt.time, exact");
        Assert.That(bare!.Hostname, Is.EqualTo("top-host"));
        Assert.That(bare.TimeNanos, Is.EqualTo(1748558560280502756), "the alert's time when evt.time is missing");
    }

    [Test]
    public void Only_the_snapshot_rule_is_recognised()
    {
        using JsonDocument snapshot = JsonDocument.Parse(Alert(string.Empty));
        using JsonDocument alert = JsonDocument.Parse(AlertSamples.OneLine);
        using JsonDocument lookalike = JsonDocument.Parse("{\"rule\":\"Falco internal: metrics snapshot!\",\"output_fields\":{}}");

        Assert.That(MetricsSnapshotTranslator.IsSnapshot(snapshot.RootElement), Is.True);
        Assert.That(MetricsSnapshotTranslator.IsSnapshot(alert.RootElement), Is.False);
        Assert.That(MetricsSnapshotTranslator.IsSnapshot(lookalike.RootElement), Is.False);
    }

    [TestCaseSource(typeof(SnapshotSamples), nameof(SnapshotSamples.Pairs))]
    public void Every_field_of_the_constructed_snapshots_is_known(string snapshot, string scrape)
    {
        _ = scrape;
        var (translated, text, notices, _) = SnapshotSamples.Translate(SnapshotSamples.Read(snapshot));

        Assert.That(translated, Is.Not.Null);
        Assert.That(notices, Is.Empty);
        AssertValidPrometheusText(text);
    }

    /// <summary>Strict read: a translation that wrote a bad line fails here.</summary>
    private static void AssertValidPrometheusText(string text)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(body, TextFormat.Prometheus);
        Assert.That(mapper.Facts.InvalidLines, Is.Zero, () => string.Join("; ", mapper.Facts.Errors.Select(e => e.Message)) + "\n" + text);
    }
}
