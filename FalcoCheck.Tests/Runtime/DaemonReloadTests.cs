using System.Net.Http.Json;
using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Support;
using static FalcoCheck.Tests.Runtime.DaemonScheduleTests;

namespace FalcoCheck.Tests.Runtime;

/// <summary>Counter state across restarts and reloads, and the status endpoint, on a fake clock.</summary>
internal sealed class DaemonReloadTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Test]
    public async Task A_restart_continues_the_counts_without_a_gap_or_a_spike()
    {
        await using var replay = ReplayServer.StartEmbedded();
        using var config = Config(replay);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using (var first = await DaemonHarness.StartAsync(config, clock))
        {
            for (var k = 1; k <= 3; k++)
            {
                await first.AdvanceAsync(Interval, (0, k));
            }

            await first.StopAsync();
        }

        Assert.That(Directory.GetFiles(Path.Combine(config.Folder, "state"), "*.json"), Has.Length.EqualTo(1), "counters saved on shutdown");

        // Down for three intervals, then started again: the first run after the restart already has counts.
        clock.Advance(Interval * 3);
        await using var second = await DaemonHarness.StartAsync(config, clock);
        await second.AdvanceAsync(Interval, (0, 1));
        await second.AdvanceAsync(Interval, (0, 2));
        await second.StopAsync();

        AssertCountsAreOneStepEach(second.Written(), $"endpoint:{replay.BaseUrl}/metrics", runsWithCounts: 2 + 2);
    }

    [Test]
    public async Task A_reload_keeps_the_counters_of_instances_that_stay_and_starts_new_ones()
    {
        await using var replay = ReplayServer.StartEmbedded();
        using var config = Config(replay);
        await using var daemon = await DaemonHarness.StartAsync(config);
        await daemon.AdvanceAsync(Interval, (0, 1));
        await daemon.AdvanceAsync(Interval, (0, 2));

        // Same endpoint with another timeout (its series keep their names and tags), plus a second endpoint.
        WriteInstances(config,
            $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 2\n    timeout: 0.9\n" +
            $"  - openmetrics_endpoint: {replay.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n    min_collection_interval: 2\n");
        var reload = await daemon.Daemon.ReloadAsync("test", CancellationToken.None);

        Assert.That(reload.Applied, Is.True, string.Join('\n', reload.Errors));
        Assert.That(reload.Summary, Does.StartWith("2 instance(s): 1 kept, 1 added, 0 removed"));
        await daemon.AdvanceAsync(Interval, (0, 3), (1, 1));
        await daemon.StopAsync();

        // Runs 2 and 3 both have counts: the first run after the reload did not start from a new baseline.
        AssertCountsAreOneStepEach(daemon.Written(), $"endpoint:{replay.BaseUrl}/metrics", runsWithCounts: 2);
        Assert.That(daemon.Instance(0).Runs, Is.EqualTo(3), "the kept instance's status carries on");
        Assert.That(daemon.Instance(1).Status, Is.EqualTo("ok"));
    }

    [Test]
    public async Task A_reload_that_changes_the_tags_takes_baselines_not_lifetime_totals()
    {
        await using var replay = ReplayServer.StartEmbedded();
        using var config = Config(replay);
        await using var daemon = await DaemonHarness.StartAsync(config);
        await daemon.AdvanceAsync(Interval, (0, 1));
        await daemon.AdvanceAsync(Interval, (0, 2));

        // Every counter is kept under its submitted tags: after this reload none of them matches a kept one.
        WriteInstances(config, $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 2\n    tags: [team:b]\n");
        var reload = await daemon.Daemon.ReloadAsync("test", CancellationToken.None);
        Assert.That(reload.Applied, Is.True, string.Join('\n', reload.Errors));
        await daemon.AdvanceAsync(Interval, (0, 3));
        await daemon.AdvanceAsync(Interval, (0, 4));
        await daemon.StopAsync();

        // Run 3 sets baselines under the new tags, run 4 counts one step: never Falco's lifetime totals.
        var renamed = daemon.Written().Where(l => Tags(l).Contains("team:b")).ToList();
        AssertCountsAreOneStepEach(renamed, $"endpoint:{replay.BaseUrl}/metrics", runsWithCounts: 1);
    }

    [Test]
    public async Task A_broken_config_is_refused_and_the_running_one_kept()
    {
        await using var replay = ReplayServer.StartEmbedded();
        using var config = Config(replay);
        await using var daemon = await DaemonHarness.StartAsync(config);
        await daemon.AdvanceAsync(Interval, (0, 1));

        WriteInstances(config, $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 2\n    timeuot: 1\n");
        var reload = await daemon.Daemon.ReloadAsync("test", CancellationToken.None);

        Assert.That(reload.Applied, Is.False);
        Assert.That(reload.Errors.Single(), Does.EndWith("instances[0].timeuot: unknown setting 'timeuot'; did you mean 'timeout'?"));
        await daemon.AdvanceAsync(Interval, (0, 2));
        Assert.That(daemon.Instance(0).Status, Is.EqualTo("ok"), "the old configuration still runs");
        Assert.That(daemon.Daemon.Report().LastReload, Is.EqualTo(reload));

        File.WriteAllText(config.AgentPath, "hostname: [broken\n");
        Assert.That((await daemon.Daemon.ReloadAsync("test", CancellationToken.None)).Applied, Is.False, "a broken agent file is refused too");
    }

    [Test]
    public async Task Watch_config_reloads_when_a_file_changes()
    {
        await using var replay = ReplayServer.StartEmbedded();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 2\n",
            "watch_config: true\nstatus:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n",
            "init_config:\n  timeout: 1\n");
        await using var daemon = await DaemonHarness.StartAsync(config);

        daemon.Clock.Advance(ReloadSignals.PollInterval);
        await Task.Delay(200);
        Assert.That(daemon.Daemon.Report().LastReload, Is.Null, "nothing changed, nothing reloaded");

        WriteInstances(config,
            $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 2\n" +
            $"  - openmetrics_endpoint: {replay.BaseUrl}/falco-0.41.0_prometheus_base/metrics\n    min_collection_interval: 2\n");
        await Eventually.WaitAsync(() =>
        {
            daemon.Clock.Advance(ReloadSignals.PollInterval);
            return daemon.Daemon.Report().LastReload is { Applied: true };
        }, "the change is seen");

        var reload = daemon.Daemon.Report().LastReload!;
        Assert.That(reload.Trigger, Is.EqualTo("watch_config"));
        Assert.That(daemon.Daemon.Report().Instances, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task The_status_endpoint_serves_every_instance_and_sink_on_loopback()
    {
        await using var replay = ReplayServer.StartEmbedded();
        var port = TestHttpServer.FreePort();
        using var config = new TestConfig(
            $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 2\n  - openmetrics_endpoint: http://127.0.0.1:{TestHttpServer.FreePort()}/metrics\n    min_collection_interval: 2\n",
            $"status:\n  listen: 127.0.0.1:{port}\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n",
            "init_config:\n  timeout: 1\n");
        await using var daemon = await DaemonHarness.StartAsync(config);
        await daemon.AdvanceAsync(Interval, (0, 1), (1, 1));

        using var client = new HttpClient(new SocketsHttpHandler());
        var report = await client.GetFromJsonAsync($"http://127.0.0.1:{port}/status", StatusJsonContext.Default.StatusReport);
        var health = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
        using var missing = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/nothing"));

        Assert.That(report!.Instances.Select(i => i.Status), Is.EqualTo(new[] { "ok", "critical" }));
        Assert.That(report.Instances[0].SeriesScraped, Is.GreaterThan(0));
        Assert.That(report.Instances[0].NextRun, Is.GreaterThan(report.Instances[0].LastRun!.Value));
        Assert.That(report.Instances[1].LastError, Does.Contain("refused"));
        Assert.That(report.Sinks.Single().Name, Does.StartWith("file:"));
        Assert.That(health, Does.Contain("ok"));
        Assert.That((int)missing.StatusCode, Is.EqualTo(404));

        var text = new StringWriter();
        StatusText.Write(report, text);
        Assert.That(text.ToString(), Does.Contain("[0] " + replay.BaseUrl + "/metrics: OK").And.Contain("[1] http://127.0.0.1:").And.Contain("CRITICAL").And.Contain("Sinks (1)"));
    }

    private static TestConfig Config(ReplayServer replay) => new(
        $"  - openmetrics_endpoint: {replay.BaseUrl}/metrics\n    min_collection_interval: 2\n",
        "status:\n  enabled: false\nsinks:\n  - type: file\n    path: ./metrics.jsonl\n",
        "init_config:\n  timeout: 1\n");

    private static void WriteInstances(TestConfig config, string instances) =>
        File.WriteAllText(Path.Combine(config.Folder, "conf.d", "falco.d", "conf.yaml"), "init_config:\n  timeout: 1\ninstances:\n" + instances);
}
