using FalcoCheck.Demo;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Cli;

/// <summary>The program as users run it: separate processes, exit codes, stdout and stderr.</summary>
internal sealed class CheckCommandTests
{
    [Test]
    public async Task Two_cron_style_check_processes_give_correct_counts_through_the_state_file()
    {
        await using var server = ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.BaseUrl}/falco-0.41.0_prometheus_rules/metrics\n");

        var first = await FalcoCheckProcess.RunAsync("check", "--config", config.AgentPath, "--json");
        var second = await FalcoCheckProcess.RunAsync("check", "--config", config.AgentPath, "--json");

        Assert.That(first.Exit, Is.EqualTo(0), first.Errors);
        Assert.That(second.Exit, Is.EqualTo(0), second.Errors);
        var firstCounts = CheckRun.ParseLines(first.Output).Where(l => l.TryGetProperty("type", out var t) && t.GetString() == "count");
        Assert.That(firstCounts, Is.Empty);
        var matches = CheckRun.ParseLines(second.Output)
            .Where(l => l.TryGetProperty("metric", out var m) && m.GetString() == "falco.rules.matches.count")
            .ToDictionary(l => CheckRun.Tags(l).Single(t => t.StartsWith("rule_name:", StringComparison.Ordinal)), l => l.GetProperty("value").GetDouble());
        Assert.That(matches, Has.Count.EqualTo(2));
        Assert.That(matches.Values, Has.All.GreaterThan(0), "the replay moved each counter between the two runs");
    }

    [Test]
    public async Task A_negative_rate_interval_is_a_usage_error_not_a_crash()
    {
        using var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:9/metrics\n");

        var check = await FalcoCheckProcess.RunAsync("check", "--rate", "--rate-interval", "-1", "--config", config.AgentPath);
        var demo = await FalcoCheckProcess.RunAsync("demo", "--rate-interval", "-1");

        foreach (var run in new[] { check, demo })
        {
            Assert.That(run.Exit, Is.Not.Zero);
            Assert.That(run.Errors, Does.Contain("--rate-interval must be between 0 and 86400 seconds").And.Not.Contain("   at "));
        }
    }

    [Test]
    public async Task Validate_lists_every_problem_with_its_place_and_exits_2()
    {
        using var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:8765/metrics\n    timeout: fast\n  - tags: [a]\n");

        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("validate", "--config", config.AgentPath);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(errors, Does.Match(@"conf\.yaml:4:\d+: instances\[0\]\.timeout"));
        Assert.That(errors, Does.Match(@"conf\.yaml:5:\d+: instances\[1\].*openmetrics_endpoint"));
        Assert.That(output, Does.Contain("0 of 2 instance(s) valid"));
    }

    [Test]
    public async Task Validate_accepts_a_good_config()
    {
        using var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:8765/metrics\n");

        var (exit, output, _) = await FalcoCheckProcess.RunAsync("validate", "--config", config.AgentPath);

        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Contain("1 of 1 instance(s) valid, 0 error(s)"));
    }

    [Test]
    public async Task Broken_agent_yaml_exits_2_with_its_place()
    {
        using var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:8765/metrics\n");
        await File.WriteAllTextAsync(config.AgentPath, "hostname: [unclosed\n");

        var (exit, _, errors) = await FalcoCheckProcess.RunAsync("check", "--config", config.AgentPath);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("falcocheck.yaml:"));
    }

    [Test]
    public async Task Demo_runs_on_the_embedded_default_with_nothing_else_running()
    {
        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("demo", "--json", "--rate-interval", "0.2");

        Assert.That(exit, Is.EqualTo(0), errors);
        var lines = CheckRun.ParseLines(output);
        Assert.That(lines.Count(l => l.TryGetProperty("instance", out _)), Is.EqualTo(3));
        Assert.That(lines.Where(l => l.TryGetProperty("type", out var t) && t.GetString() == "count"), Is.Not.Empty);
        Assert.That(lines.Where(l => l.TryGetProperty("check", out _)).Select(l => l.GetProperty("status").GetString()), Has.All.EqualTo("ok"));
    }
}
