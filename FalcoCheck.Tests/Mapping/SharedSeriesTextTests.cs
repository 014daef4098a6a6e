using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Mapping;

/// <summary>
/// Instances share their series text (<see cref="SharedSeriesText"/>) and the mapper's per-scrape scratch (per
/// thread), and still map exactly as each would alone.
/// </summary>
internal sealed class SharedSeriesTextTests
{
    private static readonly byte[] Payload = File.ReadAllBytes(RepoPaths.DatadogFixture);

    private static FalcoMapper Mapper(string endpoint) =>
        new(new MappingOptions { InstanceTags = ["endpoint:" + endpoint] });

    /// <summary>What a scrape gave, as plain values: name, kind, tags, value, counter key.</summary>
    private static List<string> Snapshot(FalcoMapper mapper) =>
        [.. mapper.Samples.Select(s => $"{s.Context.Name} {s.Context.Kind} [{string.Join(',', s.Context.Tags)}] {s.Value} {s.Context.Key}")];

    [Test]
    public void Two_instances_share_each_series_tag_but_keep_their_own_instance_tags()
    {
        var a = Mapper("http://a:8765/metrics");
        var b = Mapper("http://b:8765/metrics");
        a.Map(Payload, TextFormat.Prometheus);
        b.Map(Payload, TextFormat.Prometheus);

        Assert.That(a.Samples, Has.Count.EqualTo(b.Samples.Count).And.Count.GreaterThan(50));
        var shared = 0;
        for (var i = 0; i < a.Samples.Count; i++)
        {
            var (ta, tb) = (a.Samples[i].Context.Tags, b.Samples[i].Context.Tags);
            Assert.That(ta, Has.Length.EqualTo(tb.Length));
            for (var t = 0; t < ta.Length; t++)
            {
                if (ta[t].StartsWith("endpoint:", StringComparison.Ordinal))
                {
                    Assert.That(tb[t], Is.Not.EqualTo(ta[t]));
                    continue;
                }

                Assert.That(tb[t], Is.SameAs(ta[t]), $"{a.Samples[i].Context.Name}: {ta[t]}");
                shared++;
            }
        }

        Assert.That(shared, Is.GreaterThan(a.Samples.Count), "series tags (engine, rule, info) are shared, not copied");
    }

    [Test]
    public void The_counter_key_is_name_host_and_sorted_tags()
    {
        var mapper = Mapper("http://a:8765/metrics");
        mapper.Map(Payload, TextFormat.Prometheus);

        foreach (var sample in mapper.Samples)
        {
            var context = sample.Context;
            var sorted = context.Tags.Order(StringComparer.Ordinal);
            var key = context.Key;
            Assert.That(key, Is.EqualTo(context.Name + "|" + context.Host + "|" + string.Join(',', sorted)));
            Assert.That(context.Key, Is.SameAs(key), "built once");
        }
    }

    [Test]
    public void Instances_mapping_in_turn_on_one_thread_do_not_see_each_other()
    {
        var a = Mapper("http://a:8765/metrics");
        var b = Mapper("http://b:8765/metrics");
        a.Map(Payload, TextFormat.Prometheus);
        var first = Snapshot(a);
        var duplicates = a.Facts.DuplicateSeries;

        // Another payload on the same thread between two scrapes of a: the shared scratch is emptied between them.
        b.Map(File.ReadAllBytes(RepoPaths.FalcoFixtures().First(p => p != RepoPaths.DatadogFixture)), TextFormat.Prometheus);
        var ofB = Snapshot(b);
        a.Map(Payload, TextFormat.Prometheus);

        Assert.That(Snapshot(a), Is.EqualTo(first));
        Assert.That(a.Facts.DuplicateSeries, Is.EqualTo(duplicates));
        Assert.That(Snapshot(b), Is.EqualTo(ofB), "b's samples are its own until b maps again");
    }

    [Test]
    public void Instances_mapping_at_once_on_many_threads_map_as_one_alone()
    {
        var alone = Mapper("http://alone:8765/metrics");
        alone.Map(Payload, TextFormat.Prometheus);
        var expected = Snapshot(alone);

        var results = new List<string>[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var mapper = Mapper("http://alone:8765/metrics");
            for (var round = 0; round < 20; round++)
            {
                mapper.Map(Payload, TextFormat.Prometheus);
            }

            results[i] = Snapshot(mapper);
        });

        Assert.That(results, Has.All.EqualTo(expected));
    }
}
