using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using FalcoCheck.Demo;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Runtime;

/// <summary>
/// The 1,000-instance case (issue 5): <c>falcocheck run</c> as its own process scrapes 1,000 endpoints (one
/// replayed Falco 0.40.0 per path, counters moving) every 15 s with the default 8 concurrent scrapes, while this
/// test samples the process's memory and CPU from /proc. It prints the figures the README records; it asserts
/// only that every instance stays OK and no tick is skipped, never a duration. Run it explicitly:
/// <code>dotnet test FalcoCheck.Tests -c Release --filter Name=Thousand_instances_on_two_cores -- NUnit.DefaultTimeout=900000</code>
/// FALCOCHECK_BENCH_SECONDS sets how long it runs (default 300), FALCOCHECK_BENCH_INSTANCES how many instances
/// (default 1000); FALCOCHECK_BENCH_BINARY runs a NativeAOT build instead of <c>dotnet falcocheck.dll</c>.
/// </summary>
[Explicit("benchmark: minutes long")]
[Category("Benchmark")]
internal sealed class DaemonScaleBenchmark
{
    [Test]
    public async Task Thousand_instances_on_two_cores()
    {
        var seconds = int.Parse(Environment.GetEnvironmentVariable("FALCOCHECK_BENCH_SECONDS") ?? "300", CultureInfo.InvariantCulture);
        var instanceCount = int.Parse(Environment.GetEnvironmentVariable("FALCOCHECK_BENCH_INSTANCES") ?? "1000", CultureInfo.InvariantCulture);
        var text = File.ReadAllText(RepoPaths.DatadogFixture);
        var payloads = Enumerable.Range(0, instanceCount).Select(_ => new ReplayPayload(text)).ToArray();
        await using var server = new TestHttpServer(context =>
        {
            // /node-N/metrics: each path its own Falco, so counters move per instance.
            var path = context.Request.Url!.AbsolutePath;
            var n = int.Parse(path.AsSpan(6, path.IndexOf('/', 1) - 6), CultureInfo.InvariantCulture);
            // NOTE: HttpListener mishandles a thousand idle keep-alive connections (requests on reused ones fail with
            // HttpRequestError.Unknown), so each scrape gets its own connection, as behind a Falco that closes idle ones.
            context.Response.KeepAlive = false;
            return TestHttpServer.WriteAsync(context, Encoding.UTF8.GetBytes(payloads[n].Render()));
        });
        var statusPort = TestHttpServer.FreePort();
        var instances = new StringBuilder();
        for (var i = 0; i < instanceCount; i++)
        {
            instances.Append(CultureInfo.InvariantCulture, $"  - openmetrics_endpoint: http://127.0.0.1:{server.Port}/node-{i}/metrics\n");
        }

        using var config = new TestConfig(instances.ToString(), $"status:\n  listen: 127.0.0.1:{statusPort}\nsinks:\n  - type: file\n    path: /dev/null\n", "init_config:\n  timeout: 5\n");
        await using var daemon = DaemonProcess.Start(config.AgentPath, statusPort, binary: Environment.GetEnvironmentVariable("FALCOCHECK_BENCH_BINARY"));

        var report = new StringBuilder("seconds  rss_mib  hwm_mib  heap_mib  cpu_%_of_one_core  runs  ok\n");
        var ticks = (double)Environment.SystemPageSize;
        var clockTicks = 100.0; // USER_HZ, sysconf(_SC_CLK_TCK) on Linux
        var started = Stopwatch.StartNew();
        var (lastCpu, lastAt) = (Cpu(daemon.Pid), started.Elapsed);
        var firstFullRss = 0.0;
        var lastRss = 0.0;
        while (started.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(TimeSpan.FromSeconds(15));
            var status = await daemon.StatusAsync();
            var (rss, hwm) = Memory(daemon.Pid);
            var cpu = Cpu(daemon.Pid);
            var at = started.Elapsed;
            var percent = (cpu - lastCpu) / clockTicks / (at - lastAt).TotalSeconds * 100;
            (lastCpu, lastAt) = (cpu, at);
            var runs = status?.Instances.Sum(i => i.Runs) ?? 0;
            var ok = status?.Instances.Count(i => i.Status == "ok") ?? 0;
            var heap = (status?.GcHeapBytes ?? 0) / 1048576.0;
            report.Append(CultureInfo.InvariantCulture, $"{at.TotalSeconds,7:0}  {rss,7:0.0}  {hwm,7:0.0}  {heap,8:0.0}  {percent,17:0.0}  {runs,6}  {ok,4}\n");
            if (firstFullRss == 0 && at.TotalSeconds >= 60)
            {
                firstFullRss = rss;
            }

            lastRss = rss;
        }

        var final = await daemon.WaitForAsync(s => s.Instances.Count == instanceCount, "the status of every instance");
        Assert.That(await daemon.StopAsync(), Is.Zero, daemon.Errors);
        report.Append(CultureInfo.InvariantCulture, $"rss after the first minute {firstFullRss:0.0} MiB, at the end {lastRss:0.0} MiB; page size {ticks} B\n");
        await TestContext.Out.WriteLineAsync(report.ToString());

        Assert.That(final.Instances.Where(i => i.Status != "ok").Select(i => i.Endpoint + ": " + i.Message), Is.Empty);
        Assert.That(final.Instances.Sum(i => i.SkippedTicks), Is.Zero, "8 concurrent scrapes keep up with 1,000 instances every 15 s");
    }

    private static (double RssMib, double HwmMib) Memory(int pid)
    {
        double Field(string name) => double.Parse(
            File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS"), Field("VmHWM"));
    }

    /// <summary>utime + stime of the process, in clock ticks (proc(5)).</summary>
    private static double Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
