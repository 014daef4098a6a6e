using System.Diagnostics;
using System.Globalization;
using FalcoCheck.Runtime;
using FalcoCheck.Sinks;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Sinks;

/// <summary>
/// One remote-write sink against a backend 100 ms away (a loopback intake that answers each request after 100 ms),
/// fed as a daemon with 1,000 instances at 15 s feeds it: 67 runs a second of Falco's full page (111 points). One
/// request at a time can carry 10 runs a second, so the sink keeps up only by merging what waits. Prints what it
/// took; asserts only that every run was delivered and none spilled or dropped. Not in the suite
/// (<c>TestCategory!=Benchmark</c>):
/// <c>dotnet test FalcoCheck.Tests -c Release --filter Name=Remote_write_100_ms_away_keeps_up_with_a_thousand_instances --logger "console;verbosity=detailed"</c>
/// </summary>
[Category("Benchmark")]
internal sealed class SinkThroughputBenchmark
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Between = TimeSpan.FromSeconds(15.0 / 1000);

    [Test]
    public async Task Remote_write_100_ms_away_keeps_up_with_a_thousand_instances()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("FALCOCHECK_BENCH_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 30;
        int requests = 0;
        await using var intake = new TestHttpServer(async context =>
        {
            Interlocked.Increment(ref requests);
            using (var drain = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(drain);
            }

            await Task.Delay(RoundTrip);
            context.Response.StatusCode = 204;
            context.Response.Close();
        });
        using var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:1/metrics\n",
            $"sinks:\n  - type: prometheus_remote_write\n    url: http://127.0.0.1:{intake.Port}/api/v1/write\n    flush_timeout: 60\n");
        var (agent, _) = config.Load();
        var sink = SinkFactory.Create(agent.Sinks[0], TextWriter.Null, TimeProvider.System, agent.StateDir);

        var sends = new List<Task<SendResult>>();
        var clock = Stopwatch.StartNew();
        int runs = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            long timestamp = 1_747_146_400 + runs;
            var points = SinkSamples.Many(111).Select(p => p with { Timestamp = timestamp, Tags = [$"instance:{runs % 1000}", .. p.Tags] }).ToArray();
            sends.Add(sink.SendAsync(new Submission("bench", points, []), CancellationToken.None));
            runs++;
            var due = Between * runs;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }

        var produced = clock.Elapsed;
        var results = await Task.WhenAll(sends);
        var drained = clock.Elapsed - produced;
        var counts = sink.Counts;
        await sink.DisposeAsync();

        await TestContext.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{runs} runs ({runs / produced.TotalSeconds:0.0}/s, {counts.Received} points) in {produced.TotalSeconds:0.0} s; {requests} requests ({(double)runs / requests:0.0} runs per request); last run delivered {drained.TotalMilliseconds:0} ms after the last was made; spooled {counts.Spooled}, dropped {counts.Dropped}"));
        Assert.That(results, Has.All.Property(nameof(SendResult.Success)).True, "every run delivered");
        Assert.That((counts.Spooled, counts.Dropped), Is.EqualTo((0L, 0L)));
    }
}
