using System.Text;
using System.Text.Json;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// Each limit under attack, end to end: a real Falco payload with hostile lines appended, a check with the limit
/// set low. The run finishes, the good series are still submitted, the hits are counted in the summary
/// (<c>limits_hit</c>) and named once in the health message, and the run is a WARNING, not a crash.
/// </summary>
internal sealed class LimitTests
{
    private static readonly CheckRunOptions Json = new() { Json = true };

    private static readonly CheckRunOptions JsonRate = new() { Json = true, Rate = true, RateInterval = TimeSpan.FromMilliseconds(50) };

    private static string BaseFixture => File.ReadAllText(Path.Combine(RepoPaths.Demo, "falco-0.41.0_prometheus_base.prom.txt"));

    private static IEnumerable<TestCaseData> Attacks()
    {
        yield return Attack("max_line_length: 200", "max_line_length", 200, 3, "lines skipped",
            Lines(3, i => $"falcosecurity_falco_rules_matches_total{{rule_name=\"{new string('r', 300)}{i}\",priority=\"4\",source=\"syscall\"}} 1"));
        yield return Attack("max_labels_per_series: 3", "max_labels_per_series", 3, 2, "lines skipped",
            Lines(2, i => $"falcosecurity_falco_rules_matches_total{{rule_name=\"r{i}\",priority=\"4\",source=\"syscall\",tag_a=\"true\",tag_b=\"true\"}} 1"));
        yield return Attack("max_label_name_length: 20", "max_label_name_length", 20, 4, "lines skipped",
            Lines(4, i => $"falcosecurity_falco_rules_matches_total{{rule_name=\"r{i}\",tag_{new string('t', 40)}=\"true\"}} 1"));
        yield return Attack("max_label_value_length: 70", "max_label_value_length", 70, 1, "lines skipped",
            Lines(1, i => $"falcosecurity_falco_rules_matches_total{{rule_name=\"{new string('v', 100)}\"}} 1"));
        yield return Attack("max_series_per_scrape: 5", "max_series_per_scrape", 5, 12 - 5 + 1000, "series not submitted",
            Lines(1000, i => $"falcosecurity_falco_rules_matches_total{{rule_name=\"rule {i}\",priority=\"4\",source=\"syscall\"}} {i}"));
    }

    [TestCaseSource(nameof(Attacks))]
    public async Task A_limit_refuses_the_hostile_lines_once_counted_and_keeps_the_rest(string option, string setting, int limit, int hits, string refused, string attack)
    {
        var body = Encoding.UTF8.GetBytes(BaseFixture + attack);
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, body));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n    {option}\n");

        var run = await CheckRun.RunAsync(config, Json);

        var summary = run.Summaries.Single();
        var message = summary.GetProperty("message").GetString()!;
        Assert.That(run.Exit, Is.Zero, run.Errors);
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("warning"));
        Assert.That(LimitsHit(summary), Is.EqualTo(new Dictionary<string, int> { [setting] = hits }));
        Assert.That(message, Does.Contain($"{setting} ({limit}): {hits} {refused}"));
        Assert.That(message.Split(setting).Length - 1, Is.EqualTo(1), "named once: " + message);
        Assert.That(run.ServiceChecks.Single().GetProperty("status").GetString(), Is.EqualTo("warning"));
        Assert.That(run.Metrics.Select(m => m.GetProperty("metric").GetString()), Does.Contain("falco.sha256.rules.files"), "the good series are still submitted");
    }

    [Test]
    public async Task Series_past_max_series_per_scrape_are_never_submitted()
    {
        var attack = Lines(50, i => $"falcosecurity_falco_rules_matches_total{{rule_name=\"rule {i}\",priority=\"4\",source=\"syscall\"}} {i}");
        var body = Encoding.UTF8.GetBytes(BaseFixture + attack);
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, body));
        using var limited = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n    max_series_per_scrape: 22\n");
        using var unlimited = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n");

        var rules = (await CheckRun.RunAsync(limited, JsonRate)).Metrics.Where(m => m.GetProperty("metric").GetString() == "falco.rules.matches.count").ToList();
        var all = (await CheckRun.RunAsync(unlimited, JsonRate)).Metrics.Where(m => m.GetProperty("metric").GetString() == "falco.rules.matches.count").ToList();

        // The base fixture has 12 samples, so 10 of the 50 rules fit under 22.
        Assert.That(all.Select(RuleName).Distinct().Count(), Is.EqualTo(50));
        Assert.That(rules.Select(RuleName).Distinct(), Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => $"rule {i}")));
    }

    [Test]
    public async Task Counters_past_max_counter_contexts_are_not_counted_and_reported_in_each_run()
    {
        var attack = Lines(50, i => $"falcosecurity_falco_rules_matches_total{{rule_name=\"rule {i}\",priority=\"4\",source=\"syscall\"}} {i}");
        var body = Encoding.UTF8.GetBytes(BaseFixture + attack);
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, body));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n    max_counter_contexts: 10\n");

        var run = await CheckRun.RunAsync(config, JsonRate);

        var summary = run.Summaries.Single();
        var refused = LimitsHit(summary)["max_counter_contexts"];
        var counts = run.Metrics.Count(m => m.GetProperty("metric").GetString() == "falco.rules.matches.count");
        Assert.That(run.Exit, Is.Zero, run.Errors);
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("warning"));
        Assert.That(counts, Is.InRange(1, 10), "only the rules whose counters are kept give counts");
        Assert.That(refused, Is.InRange(42, 83), "2 Falco counters and 50 rules, 10 kept; counted per run, not added up across the two");
        Assert.That(summary.GetProperty("message").GetString(), Does.Contain($"max_counter_contexts (10): {refused} counters not counted"));
    }

    [Test]
    public async Task A_chunked_body_over_max_response_size_is_refused_while_streaming()
    {
        // No Content-Length: the scraper can only stop once it has read past the limit.
        var chunk = Encoding.UTF8.GetBytes(new string('#', 64 * 1024) + "\n");
        await using var server = new TestHttpServer(async context =>
        {
            // 64 MiB in all; the scraper hangs up after 1 MiB, and the write that follows fails (the server ignores it).
            context.Response.SendChunked = true;
            for (var i = 0; i < 1024; i++)
            {
                await context.Response.OutputStream.WriteAsync(chunk);
            }

            context.Response.Close();
        });
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n    max_response_size: 1048576\n");

        var run = await CheckRun.RunAsync(config, Json);

        Assert.That(run.Exit, Is.EqualTo(1));
        Assert.That(run.Summaries.Single().GetProperty("message").GetString(), Does.Contain("larger than max_response_size (1048576 bytes)"));
    }

    [Test]
    public async Task Every_limit_at_once_in_the_real_program_ends_in_a_warning_not_a_crash()
    {
        var attack = string.Concat(Attacks().Select(a => (string)a.Arguments[5]!));
        var body = Encoding.UTF8.GetBytes(BaseFixture + attack + new string('x', 70_000) + "\n");
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, body));
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {server.Url}\n    max_labels_per_series: 3\n    max_label_name_length: 20\n    max_label_value_length: 70\n    max_series_per_scrape: 500\n    max_counter_contexts: 100\n");

        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("check", "--json", "--config", config.AgentPath);

        var summary = CheckRun.ParseLines(output).Single(l => l.TryGetProperty("instance", out _));
        Assert.That(exit, Is.Zero, errors);
        Assert.That(errors, Is.Empty);
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("warning"));
        Assert.That(LimitsHit(summary).Keys, Is.EquivalentTo(new[]
        {
            "max_line_length", "max_labels_per_series", "max_label_name_length", "max_label_value_length", "max_series_per_scrape", "max_counter_contexts",
        }));
    }

    private static Dictionary<string, int> LimitsHit(JsonElement summary) =>
        summary.GetProperty("limits_hit").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static string RuleName(JsonElement metric) =>
        CheckRun.Tags(metric).Single(t => t.StartsWith("rule_name:", StringComparison.Ordinal))["rule_name:".Length..];

    private static string Lines(int count, Func<int, string> line) =>
        string.Concat(Enumerable.Range(0, count).Select(i => line(i) + "\n"));

    private static TestCaseData Attack(string option, string setting, int limit, int hits, string refused, string attack) =>
        new TestCaseData(option, setting, limit, hits, refused, attack).SetArgDisplayNames(setting);
}
