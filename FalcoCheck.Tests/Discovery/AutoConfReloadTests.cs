using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// Editing conf.d/falco.d/auto_conf.yaml while the daemon runs: watch_config (or SIGHUP) applies it to the pods
/// already discovered, without a new watch; a broken template is refused like a broken conf.yaml. And
/// <c>validate</c> reads the template whenever <c>kubernetes.enabled</c> is on.
/// </summary>
public class AutoConfReloadTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private static string AutoConf(TestConfig config) => Path.Combine(config.Folder, "conf.d", "falco.d", "auto_conf.yaml");

    private static void WriteTemplate(TestConfig config, string extra) => File.WriteAllText(AutoConf(config),
        "init_config:\ninstances:\n  - openmetrics_endpoint: \"http://%%host%%:%%port_metrics%%/metrics\"\n" + extra);

    [Test]
    public async Task An_edited_template_applies_to_the_running_pods_and_a_broken_one_is_refused()
    {
        await using var pod = ReplayServer.StartEmbedded();
        await using var confd = ReplayServer.StartEmbedded();
        await using var api = new StandInKubernetesApi();
        api.Add(FalcoPods.Chart("falco-a", "node-1", "127.0.0.1", pod.Port));
        using var config = api.DaemonConfig(confd.BaseUrl + "/metrics", "watch_config: true\n");
        WriteTemplate(config, "    min_collection_interval: 15\n");
        await using var daemon = await DaemonHarness.StartAsync(config);
        InstanceLoop? Loop() => daemon.Daemon.Loops.SingleOrDefault(l => l.Settings.Name == pod.BaseUrl + "/metrics");
        await Eventually.WaitAsync(() => Loop() is { Report.NextRun: not null }, "the pod's loop starts");
        var loop = Loop()!;
        Assert.That(loop.Settings.MinCollectionInterval, Is.EqualTo(TimeSpan.FromSeconds(15)));
        int lists = api.Lists, index = loop.Settings.Index;

        // The edit is seen by watch_config (polled on the daemon's clock) and applied to the pod already known.
        WriteTemplate(config, "    min_collection_interval: 45\n    tags:\n      - tier:edge\n");
        for (int i = 0; i < 50 && Loop()?.Settings.MinCollectionInterval != TimeSpan.FromSeconds(45); i++)
        {
            daemon.Clock.Advance(ReloadSignals.PollInterval);
            await Task.Delay(100);
        }

        Assert.That(daemon.Daemon.Report().LastReload, Is.Not.Null.And.Property(nameof(ReloadReport.Applied)).True, "watch_config reloaded");
        Assert.That(Loop()!.Settings.MinCollectionInterval, Is.EqualTo(TimeSpan.FromSeconds(45)), "the new min_collection_interval applies");
        Assert.That(Loop()!.Settings.HealthTags, Has.Member("tier:edge"), "the new tags apply");
        Assert.That(Loop(), Is.SameAs(loop), "the same loop (its counters) takes the new settings");
        Assert.That(Loop()!.Settings.Index, Is.EqualTo(index), "and keeps its number");
        Assert.That(api.Lists, Is.EqualTo(lists), "the pods already known were used, not a new list");

        // A broken template is refused: the running one stays, the error names the file, line and column.
        File.WriteAllText(AutoConf(config), "init_config:\ninstances:\n  - openmetrics_endpoint: \"http://%%host%%:%%port_metrics%%/metrics\"\n    min_collection_interval: soon\n");
        var refused = await daemon.Daemon.ReloadAsync("test", CancellationToken.None);
        Assert.That(refused.Applied, Is.False, refused.Summary);
        Assert.That(refused.Errors, Has.Some.Contains(AutoConf(config) + ":4:30: instances[0].min_collection_interval"));
        File.WriteAllText(AutoConf(config), "instances: [\n");
        refused = await daemon.Daemon.ReloadAsync("test", CancellationToken.None);
        Assert.That(refused.Applied, Is.False, refused.Summary);
        Assert.That(refused.Errors, Has.Some.StartsWith(AutoConf(config) + ":"));
        Assert.That(Loop()!.Settings.MinCollectionInterval, Is.EqualTo(TimeSpan.FromSeconds(45)), "the running template is kept");
    }

    [Test]
    public async Task Validate_reads_auto_conf_yaml_when_kubernetes_is_enabled()
    {
        await using var api = new StandInKubernetesApi();
        using var config = new TestConfig("  - openmetrics_endpoint: http://127.0.0.1:8765/metrics\n");
        File.AppendAllText(config.AgentPath, $"kubernetes:\n  enabled: true\n  kubeconfig: {api.WriteKubeconfig(config.Folder)}\n  node_name: node-1\n");
        File.WriteAllText(AutoConf(config), "init_config:\ninstances:\n  - openmetrics_endpoint: \"http://%%host%%:%%port_metrics%%/metrics\"\n    timeuot: 3\n");

        var (exit, output, errors) = await FalcoCheckProcess.RunAsync("validate", "--config", config.AgentPath);

        Assert.That(exit, Is.EqualTo(2), output + errors);
        Assert.That(errors, Does.Contain(AutoConf(config) + ":4:5: ").And.Contain("timeuot"));

        WriteTemplate(config, "    min_collection_interval: 30\n");
        (exit, output, errors) = await FalcoCheckProcess.RunAsync("validate", "--config", config.AgentPath);
        Assert.That(exit, Is.EqualTo(0), output + errors);
        Assert.That(output, Does.Contain(AutoConf(config) + ": ok"));
        Assert.That(api.Lists, Is.EqualTo(0), "without --kubernetes the API is not asked");
    }

    [Test]
    public void The_template_check_reports_the_templates_errors_never_a_pods()
    {
        const string Template = "instances:\n  - openmetrics_endpoint: \"http://%%host%%:%%port_web%%/metrics\"\n    tags: [\"pod:%%kube_pod_name%%\"]\n"
            + "  - openmetrics_endpoint: \"http://%%hostt%%:%%port%%/metrics\"\n";

        var errors = FalcoCheck.Discovery.PodInstances.Check("auto_conf.yaml", Template, _ => null, Path.GetTempPath());

        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0], Does.StartWith("auto_conf.yaml:4:").And.Contain("instances[1].openmetrics_endpoint").And.Contain("'%%hostt%%'"));
    }
}
