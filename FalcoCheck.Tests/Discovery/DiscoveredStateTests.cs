using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// Counter state of discovered pods does not pile up in state_dir: a pod that goes away takes its file (and lock)
/// with it, a daemon that stops keeps every file, and at start files of discovered pods unused for longer than the
/// counters' TTL are removed while those of conf.d and cron runs are never touched.
/// </summary>
public class DiscoveredStateTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private static TestConfig Config(StandInKubernetesApi api, ReplayServer confd) =>
        api.DaemonConfig(confd.BaseUrl + "/metrics", "state_flush_interval: 1\n");

    private static string[] StateFiles(TestConfig config, int port) =>
        Directory.Exists(Path.Combine(config.Folder, "state"))
            ? [.. Directory.GetFiles(Path.Combine(config.Folder, "state")).Select(Path.GetFileName).Where(f => f!.Contains($"_{port}_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!]
            : [];

    [Test]
    public async Task A_pod_that_goes_takes_its_state_file_and_a_stopping_daemon_keeps_them_all()
    {
        await using var confd = ReplayServer.StartEmbedded();
        await using var podA = ReplayServer.StartEmbedded();
        await using var podB = ReplayServer.StartEmbedded();
        await using var api = new StandInKubernetesApi();
        var a = FalcoPods.Chart("falco-a", "node-1", "127.0.0.1", podA.Port);
        api.Add(a);
        api.Add(FalcoPods.Chart("falco-b", "node-1", "127.0.0.1", podB.Port));
        using var config = Config(api, confd);
        await using var daemon = await DaemonHarness.StartAsync(config);
        InstanceLoop? Loop(ReplayServer server) => daemon.Daemon.Loops.SingleOrDefault(l => l.Settings.Name == server.BaseUrl + "/metrics");
        await Eventually.WaitAsync(() => Loop(podA) is { Report.NextRun: not null } && Loop(podB) is { Report.NextRun: not null } && Loop(confd) is { Report.NextRun: not null }, "the loops start");
        await daemon.AdvanceAsync(Interval, (Loop(confd)!.Settings.Index, 1), (Loop(podA)!.Settings.Index, 1), (Loop(podB)!.Settings.Index, 1));
        // Saved at the state flush interval or when the loop stops; the first run saves as well.
        await Eventually.WaitAsync(() => StateFiles(config, podA.Port).Length == 2, "pod a's state file and lock exist: " + string.Join(", ", StateFiles(config, podA.Port)));

        Assert.That(StateFiles(config, podA.Port), Has.All.StartWith("falco_pod_"), "discovered pods' files are told apart by name");
        Assert.That(StateFiles(config, confd.Port), Has.None.StartWith("falco_pod_"));
        api.Delete(a);
        await Eventually.WaitAsync(() => Loop(podA) is null, "pod a's loop stops");
        await Eventually.WaitAsync(() => StateFiles(config, podA.Port).Length == 0, "pod a's state file and lock are removed: " + string.Join(", ", StateFiles(config, podA.Port)));

        await daemon.StopAsync();
        Assert.That(StateFiles(config, podB.Port), Has.Some.EndsWith(".json"), "a stopping daemon keeps the running pods' state");
        Assert.That(StateFiles(config, confd.Port), Has.Some.EndsWith(".json"), "and conf.d's");
    }

    [Test]
    public async Task At_start_stale_files_of_discovered_pods_go_and_cron_files_stay()
    {
        await using var confd = ReplayServer.StartEmbedded();
        await using var api = new StandInKubernetesApi();
        using var config = Config(api, confd);
        string state = Directory.CreateDirectory(Path.Combine(config.Folder, "state")).FullName;
        string Touch(string name, TimeSpan age)
        {
            string path = Path.Combine(state, name);
            File.WriteAllText(path, "{}");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }

        string stalePod = Touch("falco_pod_10.0.9.9_8765_0123456789ab.json", TimeSpan.FromHours(2));
        string staleLock = Touch(Path.GetFileName(stalePod) + ".lock", TimeSpan.FromHours(2));
        string freshPod = Touch("falco_pod_10.0.9.8_8765_0123456789ab.json", TimeSpan.FromMinutes(10));
        string cron = Touch("falco_10.0.9.9_8765_0123456789ab.json", TimeSpan.FromDays(30));

        await using var daemon = await DaemonHarness.StartAsync(config);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(stalePod), Is.False, "a discovered pod's file unused for longer than the TTL goes");
            Assert.That(File.Exists(staleLock), Is.False, "with its lock");
            Assert.That(File.Exists(freshPod), Is.True, "a recent one stays (its pod may be found again)");
            Assert.That(File.Exists(cron), Is.True, "a conf.d or cron file is never removed");
        });
    }
}
