using System.Text;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// An OpenMetrics endpoint whose body breaks the 1.0 specification fails its own scrape (CRITICAL with the first
/// error's line and column, nothing submitted), while another instance in the same run stays OK.
/// </summary>
internal sealed class OpenMetricsStrictRunTests
{
    private const string OpenMetricsType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    // Line 3 breaks the counter rule: a _total may not be negative. Line 2 alone is a valid sample.
    private const string BadBody =
        "# TYPE falcosecurity_falco_outputs_queue_num_drops counter\n" +
        "falcosecurity_falco_outputs_queue_num_drops_total{q=\"a\"} 3\n" +
        "falcosecurity_falco_outputs_queue_num_drops_total{q=\"b\"} -1\n" +
        "# EOF\n";

    [Test]
    public async Task Bad_OpenMetrics_body_is_critical_with_line_and_column_and_the_other_instance_stays_ok()
    {
        await using var bad = new TestHttpServer(context => TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(BadBody), OpenMetricsType));
        await using var good = ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {bad.Url}\n  - openmetrics_endpoint: {good.BaseUrl}/metrics\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var byInstance = run.Summaries.ToDictionary(s => s.GetProperty("instance").GetInt32());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(byInstance[0].GetProperty("status").GetString(), Is.EqualTo("critical"));
            Assert.That(byInstance[0].GetProperty("message").GetString(),
                Does.StartWith("the OpenMetrics body is invalid: counter value must be non-negative and not NaN").And.EndWith("line 3, column 58"));
            Assert.That(byInstance[0].GetProperty("series_submitted").GetInt32(), Is.Zero, "nothing of a rejected body is sent");
            Assert.That(byInstance[1].GetProperty("status").GetString(), Is.EqualTo("ok"), byInstance[1].GetProperty("message").GetString());
            Assert.That(byInstance[1].GetProperty("invalid_lines").GetInt32(), Is.Zero);
        }

        var health = run.ServiceChecks.Where(c => c.GetProperty("check").GetString() == "falco.openmetrics.health")
            .ToDictionary(c => CheckRun.Tags(c).Single(t => t.StartsWith("endpoint:", StringComparison.Ordinal)));
        Assert.That(health[$"endpoint:{bad.Url}"].GetProperty("status").GetString(), Is.EqualTo("critical"));
        Assert.That(health[$"endpoint:{good.BaseUrl}/metrics"].GetProperty("status").GetString(), Is.EqualTo("ok"));
    }

    [Test]
    public async Task With_openmetrics_strict_off_the_same_body_is_read_leniently()
    {
        await using var bad = new TestHttpServer(context => TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(BadBody), OpenMetricsType));
        using var config = new TestConfig($"  - openmetrics_endpoint: {bad.Url}\n    openmetrics_strict: false\n");

        var run = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

        var summary = run.Summaries.Single();
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("ok"), summary.GetProperty("message").GetString());
        Assert.That(summary.GetProperty("invalid_lines").GetInt32(), Is.Zero);
        Assert.That(summary.GetProperty("series_scraped").GetInt32(), Is.EqualTo(2));
    }
}
