using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Mapping;

/// <summary>
/// Label filters that give two raw series the same name and tags: one context per scrape, the two values summed
/// (rule matches by source), while a repeat of the same raw series (Falco's repeated blocks) still keeps the later value.
/// </summary>
internal sealed class LabelFilterMergeTests
{
    // Falco 0.41.0: two rules of source syscall, priority 4, the same tags, matched 9 and 18 times.
    private static string RulesFixture => Path.Combine(RepoPaths.Demo, "falco-0.41.0_prometheus_rules.prom.txt");

    private static FalcoMapper Map(string path, MappingOptions options, int scrapes = 1)
    {
        var mapper = new FalcoMapper(options);
        var body = File.ReadAllBytes(path);
        for (var i = 0; i < scrapes; i++)
        {
            mapper.Map(body, TextFormat.Prometheus);
        }

        return mapper;
    }

    private static List<MappedSample> Matches(FalcoMapper mapper) =>
        mapper.Samples.Where(s => s.Context.Name == "falco.rules.matches.count").ToList();

    [Test]
    public void Include_labels_source_sums_two_rules_of_one_source_into_one_context()
    {
        var mapper = Map(RulesFixture, new MappingOptions { IncludeLabels = new HashSet<string> { "source" } });

        var matches = Matches(mapper);
        Assert.That(matches, Has.Count.EqualTo(1), string.Join("\n", matches));
        Assert.That(matches[0].Context.Tags, Does.Contain("source:syscall"));
        Assert.That(matches[0].Context.Tags, Has.None.StartWith("rule_name:").And.None.StartWith("priority:"));
        Assert.That(matches[0].Value, Is.EqualTo(9 + 18));
        Assert.That(mapper.Facts.MergedSeries, Is.EqualTo(1));
        Assert.That(mapper.Facts.DuplicateSeries, Is.Zero);
        Assert.That(mapper.Samples.Select(s => s.Context.Key), Is.Unique);
    }

    [Test]
    public void Exclude_labels_rule_name_sums_two_rules_with_the_same_tags()
    {
        var mapper = Map(RulesFixture, new MappingOptions { ExcludeLabels = new HashSet<string> { "rule_name" } });

        var matches = Matches(mapper);
        Assert.That(matches, Has.Count.EqualTo(1), string.Join("\n", matches));
        Assert.That(matches[0].Context.Tags, Does.Contain("source:syscall").And.Contain("priority:4"));
        Assert.That(matches[0].Value, Is.EqualTo(27));
    }

    [Test]
    public void A_scrape_after_the_first_gives_the_same_one_value_per_context()
    {
        // The counter state keys by context text: two values of one key in one scrape would read as resets.
        var mapper = Map(RulesFixture, new MappingOptions { IncludeLabels = new HashSet<string> { "source" } }, scrapes: 3);

        Assert.That(Matches(mapper).Select(s => s.Value), Is.EqualTo(new[] { 27d }));
        Assert.That(mapper.Facts.MergedSeries, Is.EqualTo(1));
    }

    [Test]
    public void Falco_s_repeated_blocks_are_not_summed_when_different_rules_are()
    {
        // Falco 0.40.0 with two sources writes each rule twice: syscall has one rule (1 match), k8s_audit two (1 each).
        var unfiltered = Map(RepoPaths.DatadogFixture, new MappingOptions());
        var mapper = Map(RepoPaths.DatadogFixture, new MappingOptions { IncludeLabels = new HashSet<string> { "source" } });

        var bySource = Matches(mapper).ToDictionary(s => s.Context.Tags.Single(t => t.StartsWith("source:", StringComparison.Ordinal)), s => s.Value);
        Assert.That(bySource, Is.EquivalentTo(new Dictionary<string, double> { ["source:syscall"] = 1, ["source:k8s_audit"] = 2 }));
        Assert.That(mapper.Samples.Select(s => s.Context.Key), Is.Unique);
        // Create Privileged Pod and K8s Serviceaccount Created, and the other series that only labels told apart (per CPU...).
        Assert.That(mapper.Facts.MergedSeries, Is.GreaterThanOrEqualTo(1));
        Assert.That(mapper.Facts.DuplicateSeries, Is.EqualTo(unfiltered.Facts.DuplicateSeries), "each rule's repeat is still a repeat");
    }

    [Test]
    public void Without_label_filters_nothing_is_merged()
    {
        var mapper = Map(RepoPaths.DatadogFixture, new MappingOptions());

        Assert.That(mapper.Facts.MergedSeries, Is.Zero);
        Assert.That(Matches(mapper), Has.Count.EqualTo(3));
    }

    [Test]
    public void A_warm_scrape_that_merges_allocates_almost_nothing()
    {
        var body = File.ReadAllBytes(RulesFixture);
        var mapper = new FalcoMapper(new MappingOptions { IncludeLabels = new HashSet<string> { "source" } });
        mapper.Map(body, TextFormat.Prometheus);
        mapper.Map(body, TextFormat.Prometheus);

        var before = GC.GetAllocatedBytesForCurrentThread();
        mapper.Map(body, TextFormat.Prometheus);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(Matches(mapper).Single().Value, Is.EqualTo(27));
        Assert.That(allocated, Is.LessThanOrEqualTo(1024));
    }
    [Test]
    public void Past_the_series_cache_a_repeated_block_keeps_the_later_value_not_the_sum()
    {
        // Falco 0.40.0's repeated process-wide blocks with a series cache of one: the series past it are not cached,
        // yet a repeat is still the same raw series (later value), never a second one summed in or sent twice.
        var cached = Map(RepoPaths.DatadogFixture, new MappingOptions(), scrapes: 2);
        var uncached = Map(RepoPaths.DatadogFixture, new MappingOptions { MaxCachedSeries = 1 }, scrapes: 2);

        Assert.That(uncached.CachedSeries, Is.EqualTo(1));
        Assert.That(uncached.Facts.MergedSeries, Is.Zero);
        Assert.That(uncached.Facts.DuplicateSeries, Is.EqualTo(cached.Facts.DuplicateSeries).And.GreaterThan(0));
        Assert.That(uncached.Samples.Select(s => s.Context.Key), Is.Unique);
        Assert.That(
            uncached.Samples.Select(s => (s.Context.Key, s.Value)),
            Is.EquivalentTo(cached.Samples.Select(s => (s.Context.Key, s.Value))));
        Assert.That(Matches(uncached).Select(s => s.Value), Is.EquivalentTo(Matches(cached).Select(s => s.Value)));
    }
    [Test]
    public void Past_the_series_cache_two_merged_rules_are_still_one_context_and_summed()
    {
        var mapper = Map(RulesFixture, new MappingOptions { IncludeLabels = new HashSet<string> { "source" }, MaxCachedSeries = 1 }, scrapes: 2);

        Assert.That(Matches(mapper).Select(s => s.Value), Is.EqualTo(new[] { 27d }));
        Assert.That(mapper.Facts.MergedSeries, Is.EqualTo(1));
        Assert.That(mapper.Samples.Select(s => s.Context.Key), Is.Unique);
    }
}
