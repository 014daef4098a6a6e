using System.Globalization;

namespace FalcoCheck.Tests.Alerts;

/// <summary>
/// Throughput and memory of the six-sink fan-out (<see cref="AlertFanOut"/>, no outage): real Falco alerts posted one
/// per request to <c>falcocheck run</c>'s receiver, routed to Alertmanager, NATS, rsyslog (TCP), OTLP, a webhook and
/// Loki by their <c>minimum_priority</c>. Prints alerts/s accepted and delivered, and the daemon's peak resident
/// memory and managed heap; asserts only that every sink got its alerts once. Not in the suite; <c>bench/run.sh
/// alerts</c> runs it. FALCOCHECK_BENCH_SECONDS (default 30) and FALCOCHECK_BENCH_RATE (alerts/s, default 1000; 0 =
/// as fast as the receiver answers 8 posts in flight) shape the stream; FALCOCHECK_BENCH_BINARY runs a NativeAOT build.
/// </summary>
[Explicit("benchmark: about a minute")]
[Category("Benchmark")]
[NonParallelizable]
internal sealed class AlertFanOutBenchmark
{
    [Test]
    public async Task Six_sinks_fan_out_throughput_and_memory()
    {
        int seconds = Setting("FALCOCHECK_BENCH_SECONDS", 30);
        int rate = Setting("FALCOCHECK_BENCH_RATE", 1000);
        int total = seconds * (rate > 0 ? rate : 1000);
        string? binary = Environment.GetEnvironmentVariable("FALCOCHECK_BENCH_BINARY") is { Length: > 0 } path ? path : null;
        await using AlertFanOut run = await AlertFanOut.StartAsync(total, binary);

        TimeSpan posted = await run.Replay.RunAsync(run.Client, rate);
        TimeSpan lag = await run.WaitDeliveredAsync(seconds: 300);
        await run.AssertExactlyOnceAsync();
        long deliveries = AlertDestinations.Routes.Sum(r => (long)run.Replay.SentAtOrAbove(r.Minimum).Length);
        FalcoCheck.Runtime.StatusReport status = (await run.Daemon.StatusAsync())!;
        Assert.That(status.Sinks.Where(s => s.Dropped > 0).Select(s => s.Name), Is.Empty, "no sink dropped an alert");
        string spooled = string.Join(", ", status.Sinks.Where(s => s.Spooled > 0).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Spooled}")));
        Assert.That(await run.Daemon.StopAsync(), Is.Zero, run.Daemon.Errors);

        string sinks = string.Join(", ", run.CompletedAfter.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value.TotalSeconds:F0} s")));
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"alerts-fanout {(binary is null ? "jit" : "aot")}: {total} alerts posted in {posted.TotalSeconds:F1} s, "
            + $"accepted {total / posted.TotalSeconds:F0}/s; {deliveries} deliveries to 6 sinks complete {lag.TotalSeconds:F1} s after the last post, "
            + $"delivered {deliveries / (posted + lag).TotalSeconds:F0}/s; daemon peak RSS {run.PeakResidentBytes / 1048576.0:F0} MiB, "
            + $"peak managed heap {run.PeakHeapBytes / 1048576.0:F0} MiB; each sink complete after the last post: "
            + $"{sinks}; spooled: {(spooled.Length > 0 ? spooled : "none")}; load average {File.ReadAllText("/proc/loadavg")[..14]}"));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
