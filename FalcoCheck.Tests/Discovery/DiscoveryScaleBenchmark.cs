using System.Diagnostics;
using System.Globalization;
using FalcoCheck.Configuration;
using FalcoCheck.Discovery;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// Discovery in a cluster-wide watch of 1,000 Falco pods (one per node, no node_name) against the stand-in API: the
/// first list, the memory discovery keeps for them, the CPU of a rolling update (every pod MODIFIED with a new IP
/// through the watch), and the time from a pod turning Ready to its instance being handed to the scheduler. Prints
/// the figures the README records; asserts only that every pod is found. Run it explicitly:
/// <code>dotnet test FalcoCheck.Tests -c Release --filter Name=Thousand_pods_in_a_cluster_wide_watch</code>
/// </summary>
[Explicit("benchmark")]
[Category("Benchmark")]
internal sealed class DiscoveryScaleBenchmark
{
    [Test]
    public async Task Thousand_pods_in_a_cluster_wide_watch()
    {
        const int Pods = 1000;
        using var dir = new TempDir();
        await using var api = new StandInKubernetesApi();
        for (int i = 0; i < Pods; i++)
        {
            api.Add(FalcoPods.Chart($"falco-{i:D4}", $"node-{i:D4}", Ip(i, 0), 8765));
        }

        long applied = 0;
        int lastCount = 0;
        var readyAt = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var latencies = new List<double>();
        var config = new KubernetesConfig { Enabled = true, Kubeconfig = api.WriteKubeconfig(dir.Path), ClusterName = "bench" };
        var reader = new PodInstances(config, "auto_conf.yaml", PodInstances.DefaultAutoConf, _ => null, dir.Path);
        Task Apply(IReadOnlyList<InstanceConfig> instances)
        {
            long now = Stopwatch.GetTimestamp();
            foreach (var instance in instances)
            {
                if (readyAt.TryRemove(instance.OpenMetricsEndpoint.Host, out long at))
                {
                    lock (latencies)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                    }
                }
            }

            Volatile.Write(ref lastCount, instances.Count);
            Interlocked.Increment(ref applied);
            return Task.CompletedTask;
        }

        // The stand-in shares this process: one list first, so that what it builds lazily for its own answers is not
        // counted as discovery's.
        using (var warm = new HttpClient(new SocketsHttpHandler()))
        {
            _ = await warm.GetStringAsync(new Uri($"http://127.0.0.1:{api.Port}/api/v1/pods"));
        }

        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.StartNew();
        await using var discovery = new KubernetesDiscovery(reader, Apply, NullLogger.Instance, TimeProvider.System);
        discovery.Start();
        await Eventually.WaitAsync(() => Volatile.Read(ref lastCount) == Pods, "every pod is discovered");
        var listed = started.Elapsed;
        var listCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await Eventually.WaitAsync(() => api.OpenWatches == 1, "the watch is open");
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        // A rolling update: every pod gets a new IP, then turns Ready.
        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var rolling = Stopwatch.StartNew();
        for (int i = 0; i < Pods; i++)
        {
            var pod = FalcoPods.Chart($"falco-{i:D4}", $"node-{i:D4}", Ip(i, 1), 8765, ready: false);
            api.Modify(pod);
            readyAt[Ip(i, 1)] = Stopwatch.GetTimestamp();
            api.Modify(FalcoPods.Chart($"falco-{i:D4}", $"node-{i:D4}", Ip(i, 1), 8765));
        }

        await Eventually.WaitAsync(() => readyAt.IsEmpty, "every pod's new instance is applied", TimeSpan.FromMinutes(2));
        var rollingTime = rolling.Elapsed;
        var rollingCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        latencies.Sort();
        var burst = latencies.ToList();

        // One pod at a time on a quiet watch: the latency a single rescheduled Falco pod sees.
        lock (latencies)
        {
            latencies.Clear();
        }

        for (int i = 0; i < 50; i++)
        {
            api.Modify(FalcoPods.Chart($"falco-{i:D4}", $"node-{i:D4}", Ip(i, 2), 8765, ready: false));
            readyAt[Ip(i, 2)] = Stopwatch.GetTimestamp();
            api.Modify(FalcoPods.Chart($"falco-{i:D4}", $"node-{i:D4}", Ip(i, 2), 8765));
            await Eventually.WaitAsync(() => readyAt.IsEmpty, "the pod's new instance is applied");
        }

        latencies.Sort();
        string figures = string.Create(CultureInfo.InvariantCulture, $"""
            pods {Pods} (cluster-wide watch), first list to {Pods} instances: {listed.TotalMilliseconds:0} ms wall, {listCpu.TotalMilliseconds:0} ms CPU
            heap kept by discovery and its client: {(heapAfter - heapBefore) / 1048576.0:0.00} MiB ({(heapAfter - heapBefore) / (double)Pods / 1024:0.0} KiB per pod)
            rolling update ({2 * Pods} MODIFIED events): {rollingTime.TotalMilliseconds:0} ms wall, {rollingCpu.TotalMilliseconds:0} ms CPU, {Interlocked.Read(ref applied)} applies
            pod Ready to instance applied, during the rolling update: median {burst[burst.Count / 2]:0.0} ms, p90 {burst[burst.Count * 9 / 10]:0.0} ms, max {burst[^1]:0.0} ms
            pod Ready to instance applied, one pod at a time (50): median {latencies[latencies.Count / 2]:0.0} ms, p90 {latencies[latencies.Count * 9 / 10]:0.0} ms, max {latencies[^1]:0.0} ms
            """);
        TestContext.Out.WriteLine(figures);
        await TestContext.Progress.WriteLineAsync(figures);
        Assert.That(lastCount, Is.EqualTo(Pods));
    }

    private static string Ip(int i, int generation) =>
        string.Create(CultureInfo.InvariantCulture, $"10.{generation}.{i / 250}.{i % 250 + 1}");
}
