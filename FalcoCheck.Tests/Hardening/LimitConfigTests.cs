using FalcoCheck.Configuration;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Hardening;

/// <summary>The limit settings: read, defaulted, range-checked with a position, and wired into each stage's options.</summary>
internal sealed class LimitConfigTests
{
    private static IEnumerable<TestCaseData> Limits()
    {
        yield return Limit("max_line_length", 300, TextParserOptions.DefaultMaxLineBytes, 1L << 30, s => s.Mapping.Parser.MaxLineBytes);
        yield return Limit("max_labels_per_series", 5, TextParserOptions.DefaultMaxLabelsPerSeries, 65_536, s => s.Mapping.Parser.MaxLabelsPerSeries);
        yield return Limit("max_label_name_length", 20, TextParserOptions.DefaultMaxLabelNameBytes, 1L << 30, s => s.Mapping.Parser.MaxLabelNameBytes);
        yield return Limit("max_label_value_length", 40, TextParserOptions.DefaultMaxLabelValueBytes, 1L << 30, s => s.Mapping.Parser.MaxLabelValueBytes);
        yield return Limit("max_series_per_scrape", 7, MappingOptions.DefaultMaxSeriesPerScrape, 10_000_000, s => s.Mapping.MaxSeriesPerScrape);
        yield return Limit("max_counter_contexts", 9, CounterStateOptions.DefaultMaxContexts, 10_000_000, s => s.Counters.MaxContexts);
    }

    [TestCaseSource(nameof(Limits))]
    public void A_set_limit_reaches_its_stage(string key, int value, int defaultValue, long max, Func<InstanceSettings, int> stage)
    {
        using var dir = new TempDir();
        var config = LoadCheck(dir, Instance($"{key}: {value}"));

        Assert.That(config.Errors, Is.Empty, () => string.Join("\n", config.Errors));
        Assert.That(stage(InstanceSettingsFactory.Create(config.Instances.Single(), new AgentConfig())), Is.EqualTo(value));
    }

    [TestCaseSource(nameof(Limits))]
    public void An_absent_limit_has_its_safe_default(string key, int value, int defaultValue, long max, Func<InstanceSettings, int> stage)
    {
        using var dir = new TempDir();
        var config = LoadCheck(dir, Instance());

        Assert.That(stage(InstanceSettingsFactory.Create(config.Instances.Single(), new AgentConfig())), Is.EqualTo(defaultValue));
    }

    [TestCaseSource(nameof(Limits))]
    public void Zero_and_values_past_the_cap_are_errors_at_their_position(string key, int value, int defaultValue, long max, Func<InstanceSettings, int> stage)
    {
        using var dir = new TempDir();
        var config = LoadCheck(dir, Instance($"{key}: 0"));
        var tooBig = LoadCheck(dir, Instance($"{key}: {max + 1}"));
        var notNumber = LoadCheck(dir, Instance($"{key}: lots"));

        Assert.That(Render(config.Errors, dir), Is.EqualTo(new[] { $"conf.yaml:3:{7 + key.Length}: instances[0].{key}: must be between 1 and {max}, got 0" }));
        Assert.That(Render(tooBig.Errors, dir), Is.EqualTo(new[] { $"conf.yaml:3:{7 + key.Length}: instances[0].{key}: must be between 1 and {max}, got {max + 1}" }));
        Assert.That(Render(notNumber.Errors, dir).Single(), Does.EndWith($"instances[0].{key}: expected an integer, got 'lots'"));
    }

    [Test]
    public void The_mapper_reads_leniently_even_when_given_strict_parser_options()
    {
        var mapper = new FalcoMapper(new MappingOptions { Parser = TextParserOptions.Default with { ThrowOnInvalid = true, MaxLabelsPerSeries = 1 } });

        Assert.DoesNotThrow(() => mapper.Map("a{x=\"1\",y=\"2\"} 1\nb 2\n"u8, TextFormat.Prometheus));
        Assert.That(mapper.Facts.LimitHits, Is.EqualTo(new Dictionary<ParseErrorReason, int> { [ParseErrorReason.TooManyLabels] = 1 }));
        Assert.That(mapper.Facts.SeriesScraped, Is.EqualTo(1));
    }

    private static TestCaseData Limit(string key, int value, int defaultValue, long max, Func<InstanceSettings, int> stage) =>
        new TestCaseData(key, value, defaultValue, max, stage).SetArgDisplayNames(key);
}
