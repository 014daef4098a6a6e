using FalcoCheck.Runtime;
using FalcoCheck.Tests.Parsing;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Hardening;

/// <summary>
/// The whole check (scrape, parse, map, counter state, derived signals, rule cap, output) on a run of mutated Falco
/// payloads from one endpoint, with state kept between runs as cron would: every run ends with a summary, none throws.
/// The fuzz harness stops at the mapper; this carries hostile bodies through the stages after it.
/// </summary>
internal sealed class MutatedPayloadCheckTests
{
    private const int Runs = 200;

    [Test]
    public async Task Two_hundred_mutated_payloads_in_a_row_each_end_in_a_summary()
    {
        var fixtures = FixtureFiles.Names().Select(FixtureFiles.Read).ToArray();
        var random = new Random(20_260_522);
        byte[] body = [];
        await using var server = new TestHttpServer(context => TestHttpServer.WriteAsync(context, body));
        using var config = new TestConfig($"  - openmetrics_endpoint: {server.Url}\n    max_rules: 5\n");
        var statuses = new List<string>();

        for (var run = 0; run < Runs; run++)
        {
            var edits = Enumerable.Range(0, random.Next(1, 9))
                .Select(_ => new Mutation(random.Next(0, 6), random.NextDouble(), random.Next(1, 65), (byte)random.Next(256)))
                .ToArray();
            body = Mutation.Apply(fixtures[random.Next(fixtures.Length)], edits);

            var result = await CheckRun.RunAsync(config, new CheckRunOptions { Json = true });

            var summary = result.Summaries.Single();
            statuses.Add(summary.GetProperty("status").GetString()!);
            Assert.That(result.Exit, Is.AnyOf(0, 1), $"run {run}: {result.Errors}");
            Assert.That(result.Errors, Does.Not.Contain("Exception"), $"run {run}");
        }

        Assert.That(statuses, Does.Contain("ok").Or.Contain("warning"), "most mutated payloads still carry good series");
    }
}
