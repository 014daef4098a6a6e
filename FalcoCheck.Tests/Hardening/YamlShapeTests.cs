using FalcoCheck.Configuration;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Hardening;

/// <summary>The YAML shapes YamlStructureGuard refuses: one positioned error each, and what a config needs still loads.</summary>
internal sealed class YamlShapeTests
{
    private static IEnumerable<TestCaseData> Refused()
    {
        yield return Shape("  - {*a}\n  - &a\n", "conf.yaml:1:6: an alias cannot be a mapping key; keys are plain names").SetName("alias as a key");
        yield return Shape("instances:\n  - *a\n  - &a {openmetrics_endpoint: http://h/m}\n", "conf.yaml:2:5: alias *a refers to no anchor defined before it").SetName("alias before its anchor");
        yield return Shape("x: &a {k: *a}\n", "conf.yaml:1:11: alias *a is inside the node it refers to").SetName("alias inside its node");
        yield return Shape("? [a, b]\n: c\n", "conf.yaml:1:3: a list or mapping cannot be a mapping key; keys are plain names").SetName("list as a key");
        yield return Shape("a: " + new string('[', 65) + new string(']', 65) + "\n", "conf.yaml:1:67: nested deeper than 64 levels").SetName("65 levels, counting the root mapping");
    }

    [TestCaseSource(nameof(Refused))]
    public void A_shape_that_crashes_or_hangs_the_YAML_loader_is_refused_where_it_is(string yaml, string expected)
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, yaml);

        Assert.That(Render(config.Errors, dir), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Anchors_aliases_and_64_levels_still_load()
    {
        using var dir = new TempDir();
        var yaml = "instances:\n  - &first\n    openmetrics_endpoint: http://h/metrics\n    tags: &tags [a:b]\n  - openmetrics_endpoint: http://h/other\n    tags: *tags\n"
            + "    extra_metrics: " + new string('[', 61) + new string(']', 61) + "\n";

        var config = LoadCheck(dir, yaml);

        Assert.That(config.Errors.Select(e => e.Message), Has.None.Contains("deeper").And.None.Contains("alias"));
        Assert.That(config.Instances[0].Tags, Is.EqualTo(new[] { "a:b" }));
    }

    private static TestCaseData Shape(string yaml, string expected) => new(yaml, expected);
}
