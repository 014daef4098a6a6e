using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using FalcoCheck.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Tests.Samples;

/// <summary>The Grafana dashboard and the Prometheus rules query only what the remote-write sink writes (issue 8).</summary>
internal sealed partial class PrometheusSamplesTests
{
    private static string Grafana => Path.Combine(RepoPaths.Root, "samples", "dashboards", "grafana", "falco_metrics.json");

    private static string Rules => Path.Combine(RepoPaths.Root, "samples", "monitors", "prometheus", "falco.rules.yml");

    [Test]
    public async Task Every_Grafana_panel_queries_series_and_labels_FalcoCheck_writes()
    {
        var catalog = await EmittedCatalog.GetAsync();
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Grafana));
        var problems = new List<string>();
        var expressions = 0;

        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expression = Variables().Replace(target.GetProperty("expr").GetString()!, "5m");
                problems.AddRange(PromQLChecker.Check(expression, catalog));
                expressions++;
            }
        }

        Assert.That(expressions, Is.GreaterThanOrEqualTo(15));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task Grafana_has_a_datasource_variable_and_host_and_endpoint_variables_on_real_labels()
    {
        var catalog = await EmittedCatalog.GetAsync();
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Grafana));
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();

        Assert.That(variables.Single(v => v.GetProperty("name").GetString() == "datasource").GetProperty("type").GetString(), Is.EqualTo("datasource"));
        foreach (var variable in variables.Where(v => v.GetProperty("type").GetString() == "query"))
        {
            var match = LabelValues().Match(variable.GetProperty("query").GetString()!);
            Assert.That(match.Success, variable.ToString());
            Assert.That(PromQLChecker.Check(Variables().Replace(match.Groups[1].Value, "x"), catalog), Is.Empty);
            Assert.That(PromQLChecker.LabelNames(catalog), Does.Contain(match.Groups[2].Value));
        }

        Assert.That(variables.Select(v => v.GetProperty("name").GetString()), Is.SupersetOf(new[] { "datasource", "host", "endpoint" }));
    }

    [Test]
    public async Task Every_alerting_rule_queries_series_and_labels_FalcoCheck_writes()
    {
        var catalog = await EmittedCatalog.GetAsync();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(await File.ReadAllTextAsync(Rules)));
        var problems = new List<string>();
        var rules = 0;
        foreach (var group in (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"])
        {
            foreach (YamlMappingNode rule in (YamlSequenceNode)((YamlMappingNode)group)["rules"])
            {
                rules++;
                problems.AddRange(PromQLChecker.Check(((YamlScalarNode)rule["expr"]).Value!, catalog));
                foreach (Match label in TemplateLabel().Matches(rule.ToString()))
                {
                    if (!PromQLChecker.LabelNames(catalog).Contains(label.Groups[1].Value))
                    {
                        problems.Add($"annotation label '{label.Groups[1].Value}' is not one FalcoCheck writes");
                    }
                }
            }
        }

        Assert.That(rules, Is.GreaterThanOrEqualTo(6));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task Promtool_accepts_the_rules_file()
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        Assert.That(promtool, Is.Not.Null, "promtool (Debian package prometheus) is required; ./test.sh installs it");
        var start = new ProcessStartInfo(promtool!, ["check", "rules", Rules]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("SUCCESS"));
    }

    public static IEnumerable<TestCaseData> BrokenExpressions()
    {
        yield return new TestCaseData("sum(increase(falco_rules_matches_count_total[5m]))", "never written").SetName("A wrong counter name is caught");
        yield return new TestCaseData("sum(falco_rules_matches_total)", "rate() or increase()").SetName("A counter read raw is caught");
        yield return new TestCaseData("rate(falco_memory_rss[5m])", "gauge").SetName("A gauge read as a rate is caught");
        yield return new TestCaseData("sum by (rule) (increase(falco_rules_matches_total[5m]))", "label 'rule'").SetName("An unknown by label is caught");
        yield return new TestCaseData("falco_uptime{instance=\"x\"}", "label 'instance'").SetName("An unknown matcher label is caught");
    }

    [TestCaseSource(nameof(BrokenExpressions))]
    public async Task The_checker_catches_broken_expressions(string expression, string expected)
    {
        var catalog = await EmittedCatalog.GetAsync();

        Assert.That(PromQLChecker.Check(expression, catalog), Has.Some.Contain(expected));
    }

    [GeneratedRegex(@"\$__\w+|\$\w+")]
    private static partial Regex Variables();

    [GeneratedRegex(@"^label_values\((.+),\s*(\w+)\)$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\$labels\.(\w+)")]
    private static partial Regex TemplateLabel();
}
