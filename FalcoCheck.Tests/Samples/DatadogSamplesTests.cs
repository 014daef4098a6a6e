using System.Text.Json;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Samples;

/// <summary>Every Datadog dashboard and monitor we ship queries only what FalcoCheck sends (issue 8).</summary>
internal sealed class DatadogSamplesTests
{
    public static IEnumerable<TestCaseData> Files() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "dashboards", "datadog"), "*.json")
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "monitors", "datadog"), "*.json"))
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(f).SetName("Datadog " + Path.GetFileName(Path.GetDirectoryName(f)) + "/" + Path.GetFileName(f)));

    [TestCaseSource(nameof(Files))]
    public async Task Queries_name_only_metrics_and_tags_FalcoCheck_sends(string path)
    {
        var catalog = await EmittedCatalog.GetAsync();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(path));

        var problems = DatadogQueryChecker.Check(document.RootElement, catalog);

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void There_is_a_metrics_dashboard_and_a_monitor_for_each_concern()
    {
        var monitors = Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples", "monitors", "datadog"), "*.json").Select(File.ReadAllText).ToList();

        Assert.That(File.Exists(Path.Combine(RepoPaths.Root, "samples", "dashboards", "datadog", "falco_metrics.json")));
        Assert.That(File.Exists(Path.Combine(RepoPaths.Root, "samples", "dashboards", "datadog", "falco_alerts.json")));
        foreach (var metric in new[] { "falco.rules.matches.count", "falco.scap.drop.ratio", "falco.outputs.queue.num.drops.count", "falco.openmetrics.health", "falco.rules.files.changed" })
        {
            Assert.That(monitors.Any(m => m.Contains(metric, StringComparison.Ordinal)), metric);
        }
    }

    [TestCase("{\"data_source\":\"logs\",\"search\":{\"query\":\"source:falco\"},\"group_by\":[{\"facet\":\"@output_fields.proc.nme\"}]}", "log facet '@output_fields.proc.nme'")]
    [TestCase("{\"data_source\":\"logs\",\"search\":{\"query\":\"source:falco @severity:high\"},\"group_by\":[]}", "'@severity'")]
    [TestCase("{\"data_source\":\"logs\",\"search\":{\"query\":\"service:falco\"},\"group_by\":[]}", "source:falco")]
    public async Task The_checker_catches_broken_log_queries(string json, string expected)
    {
        var catalog = await EmittedCatalog.GetAsync();
        using var query = JsonDocument.Parse(json);
        var problems = new List<string>();

        DatadogQueryChecker.CheckLogQuery(query.RootElement, catalog, [], problems);

        Assert.That(problems, Has.Some.Contain(expected));
    }

    public static IEnumerable<TestCaseData> BrokenQueries()
    {
        yield return new TestCaseData("sum(last_5m):sum:falco.rules.matches{*}.as_count() > 0", "never sent").SetName("The reference monitor's name without .count is caught");
        yield return new TestCaseData("avg:falco.memory.rss{*}.as_count()", "gauge").SetName("A gauge summed as a count is caught");
        yield return new TestCaseData("sum:falco.rules.matches.count{*} by {rule}", "needs .as_count()").SetName("A count without as_count is caught");
        yield return new TestCaseData("sum:falco.rules.matches.count{*} by {rule}.as_count()", "tag 'rule'").SetName("A tag FalcoCheck does not set is caught");
        yield return new TestCaseData("sum:falco.rules.matches.count{severity:high}.as_count()", "tag 'severity'").SetName("A filter on an unknown tag is caught");
        yield return new TestCaseData("sum:falco.rules.matches.count{$cluster}.as_count()", "template variable '$cluster'").SetName("An undefined template variable is caught");
    }

    [TestCaseSource(nameof(BrokenQueries))]
    public async Task The_checker_catches_broken_queries(string query, string expected)
    {
        var catalog = await EmittedCatalog.GetAsync();
        var problems = new List<string>();

        DatadogQueryChecker.CheckQuery(query, catalog, ["host"], problems);

        Assert.That(problems, Has.Some.Contain(expected));
    }
}
