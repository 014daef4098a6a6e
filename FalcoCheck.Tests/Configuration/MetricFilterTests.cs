using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>extra_metrics and exclude_metrics_by_labels in every form Datadog documents.</summary>
internal sealed class MetricFilterTests
{
    private static IEnumerable<TestCaseData> ExtraMetricForms()
    {
        yield return Form("plain name", "- falcosecurity_falco_outputs_queue_num_drops_total",
            new ExtraMetric("falcosecurity_falco_outputs_queue_num_drops_total", false, null, null));
        yield return Form("regex name", "- ^network_(ingress|egress)_.+",
            new ExtraMetric("^network_(ingress|egress)_.+", true, null, null));
        yield return Form("renamed", "- raw_metric: sent.metric", new ExtraMetric("raw_metric", false, "sent.metric", null));
        yield return Form("name and type", "- raw_metric:\n          name: sent.metric\n          type: monotonic_count",
            new ExtraMetric("raw_metric", false, "sent.metric", "monotonic_count"));
        yield return Form("type only, regex key", "- .+:\n          type: gauge", new ExtraMetric(".+", true, null, "gauge"));
        yield return Form("counter", "- a: {type: counter}", new ExtraMetric("a", false, null, "counter"));
        yield return Form("histogram", "- a: {type: histogram}", new ExtraMetric("a", false, null, "histogram"));
        yield return Form("summary", "- a: {type: summary}", new ExtraMetric("a", false, null, "summary"));
    }

    [TestCaseSource(nameof(ExtraMetricForms))]
    public void Reads_extra_metrics(string item, ExtraMetric expected)
    {
        var instance = InstanceOptionTests.LoadOne(Instance("extra_metrics:", "  " + item));

        Assert.That(instance.ExtraMetrics, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void One_mapping_item_may_hold_several_metrics()
    {
        var instance = InstanceOptionTests.LoadOne(Instance("extra_metrics:", "  - a: x", "    b: y"));

        Assert.That(instance.ExtraMetrics.Select(m => (m.Pattern, m.Name)), Is.EqualTo(new[] { ("a", "x"), ("b", "y") }));
    }

    [Test]
    public void Reads_exclude_metrics_by_labels()
    {
        var instance = InstanceOptionTests.LoadOne(Instance(
            "exclude_metrics_by_labels:", "  worker: true", "  pid:", "  - '23'", "  - 42"));

        Assert.Multiple(() =>
        {
            Assert.That(instance.ExcludeMetricsByLabels.Keys, Is.EqualTo(new[] { "worker", "pid" }));
            Assert.That(instance.ExcludeMetricsByLabels["worker"].AllValues, Is.True);
            Assert.That(instance.ExcludeMetricsByLabels["worker"].Values, Is.Empty);
            Assert.That(instance.ExcludeMetricsByLabels["pid"].AllValues, Is.False);
            Assert.That(instance.ExcludeMetricsByLabels["pid"].Values, Is.EqualTo(new[] { "23", "42" }));
        });
    }

    [Test]
    public void Extra_metric_with_no_definition_is_an_error()
    {
        using var dir = new TempDir();

        var config = LoadCheck(dir, Instance("extra_metrics:", "  - foo:"));

        Assert.That(Render(config.Errors, dir), Is.EqualTo(new[]
        {
            "conf.yaml:4:9: instances[0].extra_metrics[0].foo: expected the name to send it as, or a mapping with name and/or type",
        }));
    }

    private static TestCaseData Form(string name, string item, ExtraMetric expected) =>
        new TestCaseData(item, expected).SetName(name);
}
