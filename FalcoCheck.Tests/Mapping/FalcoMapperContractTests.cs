using System.Text;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Mapping;

/// <summary>The falco.* contract against the documented list, in both directions (CONVENTIONS 7).</summary>
internal sealed class FalcoMapperContractTests
{
    private static FalcoMapper MapFile(string path, MappingOptions? options = null)
    {
        var mapper = new FalcoMapper(options ?? new MappingOptions());
        mapper.Map(File.ReadAllBytes(path), TextFormat.Prometheus);
        return mapper;
    }

    [Test]
    public void Datadog_fixture_emits_exactly_the_documented_metrics_with_their_types_and_units()
    {
        var documented = MetadataCsv.Load();
        var mapper = MapFile(RepoPaths.DatadogFixture, new MappingOptions { ExtendedMetrics = false });

        var emitted = new Dictionary<string, SeriesContext>(StringComparer.Ordinal);
        foreach (var sample in mapper.Samples)
        {
            emitted.TryAdd(sample.Context.Name, sample.Context);
        }

        Assert.That(documented, Has.Count.EqualTo(50));
        Assert.That(emitted.Keys, Is.EquivalentTo(documented.Keys), "every documented metric, and nothing else");
        foreach (var (name, (type, unit)) in documented)
        {
            var context = emitted[name];
            var expectedKind = type == "count" ? MetricKind.MonotonicCount : MetricKind.Gauge;
            Assert.That(context.Kind, Is.EqualTo(expectedKind), name);
            Assert.That(context.Unit ?? string.Empty, Is.EqualTo(unit), name);
        }
    }

    [Test]
    public void With_extended_metrics_every_extra_name_comes_from_FalcoCheck_s_own_table()
    {
        var documented = MetadataCsv.Load();
        var extended = FalcoMetricTable.Rows.Where(r => r.Extended).Select(r => r.Name)
            .Concat(FalcoMetricTable.Rows.Where(r => r.GaugeTwin is not null).Select(r => r.GaugeTwin!))
            .ToHashSet();
        var names = MapFile(RepoPaths.DatadogFixture).Samples.Select(s => s.Context.Name).ToHashSet();

        Assert.That(names, Is.SupersetOf(documented.Keys));
        Assert.That(names.Except(documented.Keys), Is.SubsetOf(extended).And.Not.Empty);
        Assert.That(extended.Intersect(documented.Keys), Is.Empty, "extended names never shadow documented ones");
    }

    [Test]
    public void Table_names_follow_the_count_suffix_rule()
    {
        foreach (var row in FalcoMetricTable.Rows)
        {
            Assert.That(row.Name.EndsWith(".count", StringComparison.Ordinal), Is.EqualTo(row.Kind == MetricKind.MonotonicCount), row.Name);
        }
    }

    [Test]
    public void Datadog_fixture_gives_the_Falco_version_and_no_context_twice()
    {
        var mapper = MapFile(RepoPaths.DatadogFixture);

        Assert.That(mapper.Facts.FalcoVersion, Is.EqualTo("0.40.0"));
        Assert.That(mapper.Facts.InvalidLines, Is.Zero);
        var keys = mapper.Samples.Select(s => s.Context.Key).ToList();
        Assert.That(keys, Is.Unique);
        Assert.That(mapper.Facts.DuplicateSeries, Is.GreaterThan(0), "Falco 0.40 repeats its own series per source");
        Assert.That(mapper.Samples.Select(s => s.Context.Name), Has.None.EqualTo("falco.version"));
    }

    [Test]
    public void Repeated_blocks_are_told_apart_by_capture_engine()
    {
        var mapper = MapFile(RepoPaths.DatadogFixture);

        Assert.That(mapper.Facts.Engines, Is.EqualTo(new[] { "source_plugin", "modern_bpf" }));
        var events = mapper.Samples.Where(s => s.Context.Name == "falco.scap.n.evts.count")
            .ToDictionary(s => s.Context.Tags.Single(t => t.StartsWith("engine_name:", StringComparison.Ordinal)), s => s.Value);
        Assert.That(events, Is.EqualTo(new Dictionary<string, double>
        {
            ["engine_name:source_plugin"] = 330,
            ["engine_name:modern_bpf"] = 96587,
        }));

        // Kernel drop categories only exist for the kernel engine's block.
        var buffer = mapper.Samples.Where(s => s.Context.Name == "falco.scap.n.drops.buffer.count").ToList();
        Assert.That(buffer, Has.Count.EqualTo(14));
        Assert.That(buffer.Select(s => s.Context.Tags), Has.All.Contains("engine_name:modern_bpf"));

        var threads = mapper.Samples.Where(s => s.Context.Name == "falco.scap.n.threads")
            .ToDictionary(s => s.Context.Tags[0], s => s.Value);
        Assert.That(threads["engine_name:modern_bpf"], Is.EqualTo(368));
        Assert.That(threads["engine_name:source_plugin"], Is.Zero);
    }

    [Test]
    public void A_process_wide_series_repeated_keeps_the_later_reading_and_is_never_summed()
    {
        var mapper = MapFile(RepoPaths.DatadogFixture);

        var rss = mapper.Samples.Where(s => s.Context.Name == "falco.memory.rss").ToList();
        Assert.That(rss, Has.Count.EqualTo(1));
        Assert.That(rss[0].Value, Is.EqualTo(96903168));
        var shell = mapper.Samples.Where(s => s.Context.Name == "falco.rules.matches.count" && s.Context.Tags.Contains("rule_name:Terminal shell in container")).ToList();
        Assert.That(shell, Has.Count.EqualTo(1));
        Assert.That(shell[0].Value, Is.EqualTo(1));
    }

    [Test]
    public void Labels_become_tags_with_Falco_renames()
    {
        var mapper = MapFile(RepoPaths.DatadogFixture);

        var hostname = mapper.Samples.Single(s => s.Context.Name == "falco.evt.hostname").Context;
        Assert.That(hostname.Tags, Does.Contain("falco_hostname:minikube"));
        var shell = mapper.Samples.First(s => s.Context.Name == "falco.rules.matches.count" && s.Context.Tags.Contains("rule_name:Terminal shell in container")).Context;
        Assert.That(shell.Tags, Is.SupersetOf(new[] { "priority:5", "priority_name:notice", "source:syscall", "falco_tag:T1059", "mitre_technique:T1059", "falco_tag:mitre_execution" }));
        Assert.That(shell.Tags, Has.None.StartWith("tag_"));
    }

    public static IEnumerable<TestCaseData> Fixtures()
    {
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["falco-0.39.0_prometheus_all"] = ["falco.scap.n.evts.count", "falco.scap.n.drops.buffer.count", "falco.memory.rss", "falco.scap.n.threads", "falco.scap.n.containers", "falco.sha256.rules.files"],
            ["falco-0.40.0_two-sources"] = ["falco.rules.matches.count", "falco.jemalloc.active.count", "falco.scap.n.evts.count"],
            ["falco-0.41.0_prometheus_base"] = ["falco.evt.hostname", "falco.host.num.cpus", "falco.duration.seconds.count", "falco.outputs.queue.num.drops.count"],
            ["falco-0.41.0_prometheus_kernel"] = ["falco.scap.n.evts.count", "falco.scap.n.drops.count", "falco.scap.n.drops.buffer.count", "falco.scap.engine.name"],
            ["falco-0.41.0_prometheus_resource"] = ["falco.cpu.usage.ratio", "falco.memory.rss", "falco.host.memory.used"],
            ["falco-0.41.0_prometheus_rules"] = ["falco.rules.matches.count"],
            ["falco-0.41.0_prometheus_state"] = ["falco.scap.n.threads", "falco.scap.n.fds", "falco.scap.n.added.fds.count"],
        };
        foreach (var path in RepoPaths.FalcoFixtures())
        {
            var name = Path.GetFileName(path)[..^".prom.txt".Length];
            yield return new TestCaseData(path, expected[name]).SetName("Fixture " + name + " maps");
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Every_fixture_parses_and_maps(string path, string[] expectedNames)
    {
        var mapper = MapFile(path);

        Assert.That(mapper.Facts.InvalidLines, Is.Zero, string.Join("\n", mapper.Facts.Errors));
        Assert.That(mapper.Facts.FalcoVersion, Does.Match(@"^0\.\d+\.\d+$"));
        Assert.That(mapper.Samples.Select(s => s.Context.Name), Is.SupersetOf(expectedNames));
        Assert.That(mapper.Samples.Select(s => s.Context.Key), Is.Unique);
        Assert.That(mapper.Samples.Select(s => s.Context.Name), Has.All.StartWith("falco."));
    }

    [Test]
    public void A_second_scrape_of_the_same_series_adds_nothing_to_the_cache()
    {
        var body = File.ReadAllBytes(RepoPaths.DatadogFixture);
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(body, TextFormat.Prometheus);
        var cached = mapper.CachedSeries;
        var first = mapper.Samples.Select(s => (s.Context.Key, s.Value)).ToList();

        mapper.Map(body, TextFormat.Prometheus);

        Assert.That(mapper.CachedSeries, Is.EqualTo(cached));
        Assert.That(mapper.Samples.Select(s => (s.Context.Key, s.Value)), Is.EqualTo(first));
    }

    [Test]
    public void A_warm_scrape_allocates_almost_nothing()
    {
        var body = File.ReadAllBytes(RepoPaths.DatadogFixture);
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(body, TextFormat.Prometheus);
        mapper.Map(body, TextFormat.Prometheus);

        var before = GC.GetAllocatedBytesForCurrentThread();
        mapper.Map(body, TextFormat.Prometheus);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.LessThanOrEqualTo(1024), "steady-state scrapes reuse the series cache and buffers");
    }

    [Test]
    public void Version_0_38_names_land_on_the_same_falco_names()
    {
        const string text = """
            # TYPE falcosecurity_falco_rules_counters_total counter
            falcosecurity_falco_rules_counters_total{rule_name="Terminal shell in container",priority="5",source="syscall"} 4
            # TYPE falcosecurity_falco_falco_sha256_rules_files_info gauge
            falcosecurity_falco_falco_sha256_rules_files_info{file_name="falco_rules.yaml",sha256="abc"} 1
            # TYPE falcosecurity_falco_version_info gauge
            falcosecurity_falco_version_info{version="0.38.2"} 1
            """;
        var mapper = new FalcoMapper(new MappingOptions());
        mapper.Map(Encoding.UTF8.GetBytes(text), TextFormat.Prometheus);

        Assert.That(mapper.Samples.Select(s => s.Context.Name), Is.EquivalentTo(new[] { "falco.rules.matches.count", "falco.sha256.rules.files" }));
        Assert.That(mapper.Facts.FalcoVersion, Is.EqualTo("0.38.2"));
    }
}
