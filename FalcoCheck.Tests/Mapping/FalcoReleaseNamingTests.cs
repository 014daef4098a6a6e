using System.Text;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;

namespace FalcoCheck.Tests.Mapping;

/// <summary>Every Falco release since 0.38.0 lands on the same falco.* names and tag keys (issue 3, item 1).</summary>
internal sealed class FalcoReleaseNamingTests
{
    private static FalcoMapper Map(string release)
    {
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(Encoding.UTF8.GetBytes(FalcoReleasePayloads.All[release]), TextFormat.Prometheus);
        Assert.That(mapper.Facts.InvalidLines, Is.Zero, string.Join("\n", mapper.Facts.Errors));
        return mapper;
    }

    public static IEnumerable<TestCaseData> Releases() =>
        FalcoReleasePayloads.All.Keys.Select(r => new TestCaseData(r).SetName("Falco " + r));

    private static readonly string[] CoreNames =
    [
        "falco.scap.engine.name", "falco.kernel.release", "falco.evt.hostname", "falco.sha256.rules.files",
        "falco.sha256.config.files", "falco.evt.source", "falco.host.num.cpus", "falco.duration.seconds.count",
        "falco.scap.n.evts.count", "falco.scap.n.drops.buffer.count", "falco.scap.n.drops.count",
        "falco.rules.matches.count", "falco.scap.bpf.run.cnt.count",
    ];

    [TestCaseSource(nameof(Releases))]
    public void Same_names_and_values_for_the_same_counters(string release)
    {
        var mapper = Map(release);
        var values = mapper.Samples.GroupBy(s => s.Context.Name).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));

        Assert.That(values.Keys, Is.SupersetOf(CoreNames));
        Assert.That(values["falco.scap.n.evts.count"], Is.EqualTo(31452));
        Assert.That(values["falco.scap.n.drops.buffer.count"], Is.EqualTo(7), "categories only: no aggregate, no deprecated lines");
        Assert.That(values["falco.rules.matches.count"], Is.EqualTo(2), "per rule only: no total across rules");
        Assert.That(values["falco.scap.bpf.run.cnt.count"], Is.EqualTo(342334));
        Assert.That(mapper.Samples.SelectMany(s => s.Context.Tags), Has.None.StartWith("raw_name"));
    }

    [TestCaseSource(nameof(Releases))]
    public void Same_tag_keys_for_the_same_counters(string release)
    {
        var mapper = Map(release);
        static HashSet<string> Keys(SeriesContext c) => c.Tags.Select(t => t[..t.IndexOf(':', StringComparison.Ordinal)]).ToHashSet();

        var rule = mapper.Samples.Single(s => s.Context.Name == "falco.rules.matches.count").Context;
        Assert.That(Keys(rule), Is.SupersetOf(new[] { "rule_name", "priority", "priority_name", "source", "falco_tag", "mitre_technique" }));
        Assert.That(rule.Tags, Does.Contain("rule_name:Terminal shell in container").And.Contain("falco_tag:shell").And.Contain("mitre_technique:T1059"));

        var buffers = mapper.Samples.Where(s => s.Context.Name == "falco.scap.n.drops.buffer.count").ToList();
        Assert.That(buffers, Has.Count.EqualTo(2));
        Assert.That(buffers.Select(b => b.Context.Tags), Has.All.Contains("dir:exit"));
        Assert.That(buffers.SelectMany(b => b.Context.Tags), Does.Contain("drop:clone_fork").And.Contain("drop:other_interest"));

        var rules = mapper.Samples.Single(s => s.Context.Name == "falco.sha256.rules.files").Context;
        Assert.That(rules.Tags, Does.Contain("file_name:falco_rules").And.Contain("sha256:f176455a"));

        var bpf = mapper.Samples.Single(s => s.Context.Name == "falco.scap.bpf.run.cnt.count").Context;
        Assert.That(bpf.Tags, Does.Contain("bpf_program:sys_enter"));

        foreach (var sample in mapper.Samples)
        {
            Assert.That(sample.Context.Tags, Does.Contain("falco_version:" + release).And.Contain("kernel_release:6.7.9-200.fc39.x86_64")
                .And.Contain("engine_name:bpf").And.Contain("evt_source:syscall"), sample.Context.Name);
        }
    }

    [Test]
    public void Container_counts_land_on_one_name_before_and_after_the_container_plugin()
    {
        Assert.That(Map("0.39.1").Samples.Single(s => s.Context.Name == "falco.scap.n.containers").Value, Is.EqualTo(12));
        Assert.That(Map("0.41.0").Samples.Single(s => s.Context.Name == "falco.scap.n.containers").Value, Is.EqualTo(12));
    }

    [Test]
    public void Deprecated_enter_drop_lines_of_0_42_are_not_submitted()
    {
        var tags = Map("0.42.0").Samples.Where(s => s.Context.Name == "falco.scap.n.drops.buffer.count").SelectMany(s => s.Context.Tags);

        Assert.That(tags, Has.None.EqualTo("dir:enter"));
    }

    [Test]
    public void Iterator_counters_of_0_44_are_one_name_with_the_iterator_as_a_tag()
    {
        var task = Map("0.44.0").Samples.Single(s => s.Context.Name == "falco.scap.n.evts.task.count");

        Assert.That(task.Value, Is.EqualTo(88));
        Assert.That(task.Context.Tags, Does.Contain("task_iterator:iter"));
    }

    [Test]
    public void Plugin_metrics_become_falco_plugins_names_tagged_by_plugin()
    {
        const string text = "# TYPE falcosecurity_plugins_k8smeta_n_events_total counter\nfalcosecurity_plugins_k8smeta_n_events_total 9\n" +
                            "# TYPE falcosecurity_plugins_k8smeta_queue_size gauge\nfalcosecurity_plugins_k8smeta_queue_size 3\n";
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(Encoding.UTF8.GetBytes(text), TextFormat.Prometheus);

        var byName = mapper.Samples.ToDictionary(s => s.Context.Name);
        Assert.That(byName["falco.plugins.n.events.count"].Context.Kind, Is.EqualTo(MetricKind.MonotonicCount));
        Assert.That(byName["falco.plugins.n.events.count"].Context.Tags, Does.Contain("plugin:k8smeta"));
        Assert.That(byName["falco.plugins.queue.size"].Context.Kind, Is.EqualTo(MetricKind.Gauge));
    }

    [Test]
    public void Jemalloc_sizes_are_also_gauges_in_bytes()
    {
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(Encoding.UTF8.GetBytes("# TYPE falcosecurity_falco_jemalloc_active_bytes counter\nfalcosecurity_falco_jemalloc_active_bytes 55627776.000000\n"), TextFormat.Prometheus);

        var byName = mapper.Samples.ToDictionary(s => s.Context.Name);
        Assert.That(byName["falco.jemalloc.active.count"].Context.Kind, Is.EqualTo(MetricKind.MonotonicCount));
        Assert.That(byName["falco.jemalloc.active"].Context.Kind, Is.EqualTo(MetricKind.Gauge));
        Assert.That(byName["falco.jemalloc.active"].Context.Unit, Is.EqualTo("byte"));
        Assert.That(byName["falco.jemalloc.active"].Value, Is.EqualTo(55627776));
    }

    public static IEnumerable<TestCaseData> RuleTagModes()
    {
        yield return new TestCaseData(RuleTagMode.Fold, new[] { "falco_tag:T1059", "mitre_technique:T1059", "falco_tag:shell" }, "tag_").SetName("rule_tags fold");
        yield return new TestCaseData(RuleTagMode.Labels, new[] { "tag_T1059:true", "tag_shell:true" }, "falco_tag").SetName("rule_tags labels");
        yield return new TestCaseData(RuleTagMode.Drop, Array.Empty<string>(), "tag").SetName("rule_tags drop");
    }

    [TestCaseSource(nameof(RuleTagModes))]
    public void Rule_tags_are_folded_kept_or_dropped(RuleTagMode mode, string[] expected, string absentPrefix)
    {
        var mapper = new FalcoMapper(new MappingOptions { RuleTags = mode, InfoTags = false });
        mapper.Map(Encoding.UTF8.GetBytes(FalcoReleasePayloads.All["0.41.0"]), TextFormat.Prometheus);

        var tags = mapper.Samples.Single(s => s.Context.Name == "falco.rules.matches.count").Context.Tags;
        Assert.That(tags, Is.SupersetOf(expected));
        Assert.That(tags, Has.None.StartWith(absentPrefix));
        Assert.That(tags, Does.Contain("priority_name:notice"));
    }

    [TestCase("T1059", true)]
    [TestCase("T1059.004", true)]
    [TestCase("T105", false)]
    [TestCase("container", false)]
    [TestCase("T1059x004", false)]
    public void Mitre_technique_ids_are_recognised(string tag, bool expected) =>
        Assert.That(RuleTags.IsMitreTechnique(tag), Is.EqualTo(expected));

    [Test]
    public void Info_tags_can_be_turned_off()
    {
        var mapper = new FalcoMapper(new MappingOptions { InfoTags = false });
        mapper.Map(Encoding.UTF8.GetBytes(FalcoReleasePayloads.All["0.41.0"]), TextFormat.Prometheus);

        Assert.That(mapper.Samples.SelectMany(s => s.Context.Tags), Has.None.StartWith("falco_version:"));
    }

    [Test]
    public void With_several_event_sources_evt_source_is_not_joined()
    {
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(File.ReadAllBytes(Support.RepoPaths.DatadogFixture), TextFormat.Prometheus);

        var rss = mapper.Samples.Single(s => s.Context.Name == "falco.memory.rss").Context.Tags;
        Assert.That(rss, Does.Contain("falco_version:0.40.0").And.Contain("kernel_release:5.10.207"));
        Assert.That(rss, Has.None.StartWith("evt_source:").And.None.StartWith("engine_name:"));
    }
}
