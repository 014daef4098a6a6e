using System.Text;
using System.Text.RegularExpressions;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Mapping;

/// <summary>The Datadog OpenMetrics V2 instance options that shape mapping, one behaviour each.</summary>
internal sealed class MappingOptionsTests
{
    private const string Payload = """
        # TYPE falcosecurity_falco_rules_matches_total counter
        falcosecurity_falco_rules_matches_total{priority="4",rule_name="Read sensitive file untrusted",source="syscall",tag_T1555="true"} 18
        falcosecurity_falco_rules_matches_total{priority="5",rule_name="Terminal shell in container",source="syscall",tag_T1059="true"} 3
        # TYPE falcosecurity_evt_hostname_info gauge
        falcosecurity_evt_hostname_info{hostname="node-7"} 1
        # TYPE falcosecurity_scap_n_evts_cpu_total counter
        falcosecurity_scap_n_evts_cpu_total{cpu="0"} 100
        falcosecurity_scap_n_evts_cpu_total{cpu="1"} 200
        # TYPE falcosecurity_scap_sys_enter_avg_time_nanoseconds gauge
        falcosecurity_scap_sys_enter_avg_time_nanoseconds 523
        # TYPE falcosecurity_falco_reload_timestamp_nanoseconds gauge
        falcosecurity_falco_reload_timestamp_nanoseconds 1748558475712822408
        # TYPE falcosecurity_falco_start_timestamp_nanoseconds gauge
        falcosecurity_falco_start_timestamp_nanoseconds 1748558475711424160
        """;

    private static FalcoMapper Map(MappingOptions options)
    {
        var mapper = new FalcoMapper(options);
        mapper.Map(Encoding.UTF8.GetBytes(Payload), TextFormat.Prometheus);
        return mapper;
    }

    private static List<string> Names(FalcoMapper mapper) => mapper.Samples.Select(s => s.Context.Name).ToList();

    private static ExtraMetricRule Extra(string pattern, string? name = null, string? type = null) =>
        new(MappingOptions.IsPlainName(pattern) ? MappingOptions.CompilePattern(pattern) : new Regex("^(?:" + pattern + ")$"), name, type);

    [Test]
    public void Series_not_in_the_table_are_dropped_by_default()
    {
        var mapper = Map(new MappingOptions { ExtendedMetrics = false });

        Assert.That(Names(mapper), Is.EquivalentTo(new[] { "falco.rules.matches.count", "falco.rules.matches.count", "falco.evt.hostname" }));
        Assert.That(mapper.Facts.SeriesDropped, Is.EqualTo(5));
    }

    [Test]
    public void Start_and_reload_timestamps_are_read_exactly()
    {
        var mapper = Map(new MappingOptions());

        Assert.That(mapper.Facts.StartTimestampNs, Is.EqualTo(1748558475711424160));
        Assert.That(mapper.Facts.ReloadTimestampNs, Is.EqualTo(1748558475712822408));
    }

    [Test]
    public void Extended_metrics_add_newer_series_with_the_varying_part_as_a_tag()
    {
        var mapper = Map(new MappingOptions());

        var cpu = mapper.Samples.Where(s => s.Context.Name == "falco.scap.n.evts.cpu.count").ToList();
        Assert.That(cpu.SelectMany(s => s.Context.Tags), Does.Contain("cpu:0").And.Contain("cpu:1"));
        var bpf = mapper.Samples.Single(s => s.Context.Name == "falco.scap.bpf.avg.time");
        Assert.That(bpf.Context.Tags, Does.Contain("bpf_program:sys_enter"));
        Assert.That(bpf.Value, Is.EqualTo(523));
    }

    [Test]
    public void Instance_tags_are_added_to_every_series()
    {
        var mapper = Map(new MappingOptions { InstanceTags = ["env:prod", "endpoint:http://x/metrics"] });

        Assert.That(mapper.Samples.Select(s => s.Context.Tags), Has.All.Contains("env:prod").And.All.Contains("endpoint:http://x/metrics"));
    }

    [Test]
    public void Extra_metrics_by_name_send_counters_as_count_under_the_falco_namespace()
    {
        var mapper = Map(new MappingOptions { ExtraMetrics = [Extra("falcosecurity_scap_n_evts_cpu")] });

        var cpu = mapper.Samples.Where(s => s.Context.Name == "falco.falcosecurity_scap_n_evts_cpu.count").ToList();
        Assert.That(cpu, Has.Count.EqualTo(2));
        Assert.That(cpu.Select(s => s.Context.Kind), Has.All.EqualTo(MetricKind.MonotonicCount));
        Assert.That(cpu.SelectMany(s => s.Context.Tags), Does.Contain("cpu:1"));
    }

    [Test]
    public void Extra_metrics_rename_and_override_the_type()
    {
        var mapper = Map(new MappingOptions
        {
            ExtraMetrics =
            [
                Extra("falcosecurity_scap_n_evts_cpu", "scap.evts.cpu"),
                Extra("falcosecurity_scap_sys_enter_avg_time_nanoseconds", "bpf.avg_time", "gauge"),
            ],
        });

        Assert.That(Names(mapper), Does.Contain("falco.scap.evts.cpu.count").And.Contain("falco.bpf.avg_time"));
        Assert.That(mapper.Samples.Single(s => s.Context.Name == "falco.bpf.avg_time").Value, Is.EqualTo(523));
    }

    [Test]
    public void Extra_metrics_take_regular_expressions()
    {
        var mapper = Map(new MappingOptions { ExtraMetrics = [Extra("falcosecurity_scap_.+")] });

        Assert.That(Names(mapper), Does.Contain("falco.falcosecurity_scap_n_evts_cpu.count").And.Contain("falco.falcosecurity_scap_sys_enter_avg_time_nanoseconds"));
    }

    [Test]
    public void Exclude_metrics_drops_by_exact_name_or_pattern()
    {
        var exact = Map(new MappingOptions { ExcludeMetrics = [MappingOptions.CompilePattern("falcosecurity_evt_hostname_info")] });
        var pattern = Map(new MappingOptions { ExcludeMetrics = [MappingOptions.CompilePattern(".*rules_matches.*")] });

        Assert.That(Names(exact), Does.Not.Contain("falco.evt.hostname").And.Contain("falco.rules.matches.count"));
        Assert.That(Names(pattern), Does.Not.Contain("falco.rules.matches.count").And.Contain("falco.evt.hostname"));
    }

    [Test]
    public void Metric_patterns_include_keeps_only_matching_raw_names_and_exclusions_still_win()
    {
        var all = Map(new MappingOptions());
        var included = Map(new MappingOptions { IncludeMetrics = [MappingOptions.CompilePattern("(?:rules_matches|evt_hostname)")] });
        var bothWays = Map(new MappingOptions
        {
            IncludeMetrics = [MappingOptions.CompilePattern("(?:rules_matches|evt_hostname)")],
            ExcludeMetrics = [MappingOptions.CompilePattern("(?:hostname)")],
        });

        Assert.Multiple(() =>
        {
            Assert.That(Names(all).Distinct().Count(), Is.GreaterThan(2), "the payload has more than the two included families");
            Assert.That(Names(included).Distinct(), Is.EquivalentTo(new[] { "falco.rules.matches.count", "falco.evt.hostname" }));
            Assert.That(Names(bothWays).Distinct(), Is.EquivalentTo(new[] { "falco.rules.matches.count" }));
        });
    }

    [Test]
    public void Exclude_metrics_by_labels_drops_matching_values_or_any_value()
    {
        var byValue = Map(new MappingOptions { ExcludeMetricsByLabels = new Dictionary<string, HashSet<string>?> { ["priority"] = ["5"] } });
        var anyValue = Map(new MappingOptions { ExcludeMetricsByLabels = new Dictionary<string, HashSet<string>?> { ["rule_name"] = null } });

        Assert.That(byValue.Samples.Count(s => s.Context.Name == "falco.rules.matches.count"), Is.EqualTo(1));
        Assert.That(Names(anyValue), Does.Not.Contain("falco.rules.matches.count"));
    }

    [Test]
    public void Exclude_include_and_rename_labels_shape_the_tags()
    {
        var excluded = Map(new MappingOptions { ExcludeLabels = new HashSet<string> { "tag_T1555", "tag_T1059" } });
        var included = Map(new MappingOptions { IncludeLabels = new HashSet<string> { "rule_name" }, InfoTags = false });
        var renamed = Map(new MappingOptions { RenameLabels = new Dictionary<string, string> { ["rule_name"] = "rule", ["hostname"] = "node" } });

        Assert.That(excluded.Samples.SelectMany(s => s.Context.Tags), Has.None.Contains("T1555").And.None.Contains("T1059"));
        Assert.That(included.Samples.First().Context.Tags, Is.EqualTo(new[] { "rule_name:Read sensitive file untrusted" }));
        Assert.That(renamed.Samples.SelectMany(s => s.Context.Tags), Does.Contain("rule:Terminal shell in container").And.Contain("node:node-7"));
    }

    [Test]
    public void Raw_metric_prefix_applies_to_options_but_keeps_the_built_in_map()
    {
        var mapper = Map(new MappingOptions
        {
            RawMetricPrefix = "falcosecurity_",
            ExtraMetrics = [Extra("scap_n_evts_cpu")],
            ExcludeMetrics = [MappingOptions.CompilePattern("evt_hostname_info")],
        });

        Assert.That(Names(mapper), Does.Contain("falco.rules.matches.count"));
        Assert.That(Names(mapper), Does.Contain("falco.scap_n_evts_cpu.count"));
        Assert.That(Names(mapper), Does.Not.Contain("falco.evt.hostname"));
    }

    [Test]
    public void Hostname_label_sets_the_host_of_the_series()
    {
        var mapper = Map(new MappingOptions { HostnameLabel = "hostname" });

        Assert.That(mapper.Samples.Single(s => s.Context.Name == "falco.evt.hostname").Context.Host, Is.EqualTo("node-7"));
        Assert.That(mapper.Samples.First(s => s.Context.Name == "falco.rules.matches.count").Context.Host, Is.Null);
    }

    [Test]
    public void Raw_name_label_never_becomes_a_tag()
    {
        const string text = "falcosecurity_scap_n_evts_total{raw_name=\"n_evts\"} 5\n";
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(Encoding.UTF8.GetBytes(text), TextFormat.Prometheus);

        Assert.That(mapper.Samples.Single().Context.Tags, Has.None.StartWith("raw_name"));
    }

    [Test]
    public void Series_cache_is_bounded()
    {
        var mapper = new FalcoMapper(new MappingOptions { MaxCachedSeries = 2, ExtendedMetrics = false });
        mapper.Map(Encoding.UTF8.GetBytes(Payload), TextFormat.Prometheus);

        Assert.That(mapper.CachedSeries, Is.EqualTo(2));
        Assert.That(Names(mapper), Has.Count.EqualTo(3), "series past the cap are still mapped");
    }
}
