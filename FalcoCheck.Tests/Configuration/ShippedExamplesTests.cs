using System.Text.RegularExpressions;
using FalcoCheck.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Configuration;

/// <summary>The example files we ship must load, and the check example must document every option (CONVENTIONS 16).</summary>
internal sealed partial class ShippedExamplesTests
{
    private static string CheckExample => Path.Combine(RepoRoot(), "conf.d", "falco.d", "conf.yaml.example");

    private static string AgentExample => Path.Combine(RepoRoot(), "samples", "falcocheck.yaml");

    [Test]
    public void Check_example_loads_cleanly()
    {
        var config = ConfigLoader.LoadCheck(CheckExample, NoEnv);

        Assert.That(config.Errors, Is.Empty, () => string.Join(Environment.NewLine, config.Errors));
        Assert.Multiple(() =>
        {
            Assert.That(config.DeclaredInstanceCount, Is.EqualTo(1));
            Assert.That(config.Instances.Single().OpenMetricsEndpoint, Is.EqualTo(new Uri("http://localhost:8765/metrics")));
            Assert.That(config.Init, Is.EqualTo(InitConfig.Default));
        });
    }

    [Test]
    public void Agent_example_loads_cleanly()
    {
        var agent = ConfigLoader.LoadAgent(AgentExample, NoEnv);
        string samples = Path.GetDirectoryName(AgentExample)!;

        Assert.Multiple(() =>
        {
            Assert.That(agent.Hostname, Is.EqualTo("falco-demo-host"));
            Assert.That(agent.Tags, Is.EqualTo(new[] { "env:demo", "team:security" }));
            Assert.That(agent.StateDir, Is.EqualTo(Path.Combine(samples, "state")));
            Assert.That(agent.Sinks.Select(s => s.Type), Is.EqualTo(new[] { "console", "file" }));
            Assert.That(((FileSinkConfig)agent.Sinks[1]).Path, Is.EqualTo(Path.Combine(samples, "out", "falco-metrics.jsonl")));
            Assert.That(ConfigLoader.CheckConfigPath(agent), Is.EqualTo(Path.Combine(RepoRoot(), "conf.d", "falco.d", "conf.yaml")));
        });
    }

    [Test]
    public void Check_example_documents_exactly_the_supported_options()
    {
        var documented = DocumentedParams(File.ReadAllText(CheckExample));
        var supported = InstanceConfigReader.Keys.Concat(["timeout", "proxy", "skip_proxy", "service"]).ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(supported.Except(documented), Is.Empty, "options missing from conf.yaml.example");
            Assert.That(documented.Except(supported), Is.Empty, "options documented but not supported");
        });
    }

    [Test]
    public void Documentation_check_can_fail()
    {
        // The meta-test above must go red when an option is dropped from the example.
        string text = File.ReadAllText(CheckExample).Replace("## @param use_latest_spec", "## (removed)", StringComparison.Ordinal);

        Assert.That(DocumentedParams(text), Does.Not.Contain("use_latest_spec"));
    }

    private static HashSet<string> DocumentedParams(string text) =>
        Param().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*## @param (\w+) ", RegexOptions.Multiline)]
    private static partial Regex Param();
}
