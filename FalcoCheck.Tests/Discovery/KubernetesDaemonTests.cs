using FalcoCheck.Demo;
using FalcoCheck.Runtime;
using FalcoCheck.Tests.Runtime;
using FalcoCheck.Tests.Support;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// <c>falcocheck run</c> with <c>kubernetes:</c> against the stand-in API, the pods' endpoints served by the Falco
/// replay server: pods coming and going start and stop their own loops, a new IP moves a loop, the conf.d instance
/// and the other pods' loops are never touched, and an API outage stops nothing.
/// </summary>
public class KubernetesDaemonTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Test]
    public async Task Follows_the_nodes_Falco_pods_and_survives_an_outage()
    {
        await using var confd = ReplayServer.StartEmbedded();
        await using var podA = ReplayServer.StartEmbedded();
        await using var podB = ReplayServer.StartEmbedded();
        await using var podBMoved = ReplayServer.StartEmbedded(podB.Port, "127.0.0.2");
        await using var api = new StandInKubernetesApi();
        var a = FalcoPods.Chart("falco-a", "node-1", "127.0.0.1", podA.Port);
        api.Add(a);
        api.Add(FalcoPods.Chart("falco-elsewhere", "node-2", "127.0.0.1", confd.Port));
        api.Add(FalcoPods.Other("nginx", "node-1"));

        using var config = new TestConfig($"  - openmetrics_endpoint: {confd.BaseUrl}/metrics\n", agentExtra: "");
        string kubeconfig = api.WriteKubeconfig(config.Folder);
        File.AppendAllText(config.AgentPath, $"""
            sinks:
              - type: file
                path: ./metrics.jsonl
            # The test reads the report directly: no status endpoint on a fixed port that another run may hold.
            status:
              enabled: false
            kubernetes:
              enabled: true
              kubeconfig: {kubeconfig}
              node_name: node-1
              cluster_name: stand-in
              pod_labels_as_tags:
                team: team

            """);
        await using var daemon = await DaemonHarness.StartAsync(config);
        InstanceLoop Loop(ReplayServer server) => daemon.Daemon.Loops.Single(l => l.Settings.Name == server.BaseUrl + "/metrics");
        bool Has(ReplayServer server) => daemon.Daemon.Loops.Any(l => l.Settings.Name == server.BaseUrl + "/metrics");
        // A loop is listed as soon as the scheduler takes it, and scheduled once started: advance the clock only then.
        bool Started(ReplayServer server) => Has(server) && Loop(server).Report.NextRun is not null;
        string[] Endpoints() => [.. daemon.Daemon.Loops.Select(l => l.Settings.Name).Order(StringComparer.Ordinal)];

        await Eventually.WaitAsync(() => Started(podA) && Started(confd), "pod a's loop starts");
        var confdLoop = Loop(confd);
        Assert.That(Endpoints(), Is.EquivalentTo(new[] { confd.BaseUrl + "/metrics", podA.BaseUrl + "/metrics" }), "only this node's Falco pods");

        await daemon.AdvanceAsync(Interval, (confdLoop.Settings.Index, 1), (Loop(podA).Settings.Index, 1));
        Assert.That(Loop(podA).Report.Status, Is.EqualTo("ok"), Loop(podA).Report.Message);
        await Eventually.WaitAsync(() => daemon.Written().Any(p => p.TryGetProperty("tags", out var t) && t.EnumerateArray().Any(x => x.GetString() == "pod_name:falco-a")), "pod a's series arrive");
        var series = daemon.Written().First(p => p.TryGetProperty("metric", out _) && p.GetProperty("tags").EnumerateArray().Any(x => x.GetString() == "pod_name:falco-a"));
        string[] tags = [.. series.GetProperty("tags").EnumerateArray().Select(x => x.GetString()!)];
        Assert.That(tags, Is.SupersetOf(new[] { "kube_namespace:falco", "kube_node:node-1", "kube_cluster_name:stand-in", "kube_daemon_set:falco", "container_name:falco", "team:security" }));

        // A pod comes: its loop starts; the others are the same loops, untouched.
        var aLoop = Loop(podA);
        api.Add(FalcoPods.Chart("falco-b", "node-1", "127.0.0.1", podB.Port));
        await Eventually.WaitAsync(() => Started(podB), "pod b's loop starts");
        Assert.That(Loop(confd), Is.SameAs(confdLoop));
        Assert.That(Loop(podA), Is.SameAs(aLoop));
        long bRuns = Loop(podB).Report.Runs;
        await daemon.AdvanceAsync(Interval, (Loop(podB).Settings.Index, bRuns + 1));
        Assert.That(podB.Requests, Is.GreaterThan(0));

        // It moves to another IP: the loop moves with it.
        api.Modify(FalcoPods.Chart("falco-b", "node-1", "127.0.0.2", podB.Port));
        await Eventually.WaitAsync(() => Started(podBMoved) && !Has(podB), "pod b's loop moves to its new IP");
        await daemon.AdvanceAsync(Interval, (Loop(podBMoved).Settings.Index, 1));
        Assert.That(podBMoved.Requests, Is.GreaterThan(0));

        // A pod goes: its loop stops, the others stay.
        var movedLoop = Loop(podBMoved);
        api.Delete(a);
        await Eventually.WaitAsync(() => !Has(podA), "pod a's loop stops");
        Assert.That(Loop(confd), Is.SameAs(confdLoop));
        Assert.That(Loop(podBMoved), Is.SameAs(movedLoop));

        // The API goes down: nothing stops, status and the service check say so.
        api.Down = true;
        api.DropWatches();
        await Eventually.WaitAsync(() => daemon.Daemon.Kubernetes is { Up: false }, "the outage is noticed");
        long confdRuns = confdLoop.Report.Runs, movedRuns = movedLoop.Report.Runs;
        await daemon.AdvanceAsync(Interval, (confdLoop.Settings.Index, confdRuns + 1), (movedLoop.Settings.Index, movedRuns + 1));
        Assert.That(Endpoints(), Is.EquivalentTo(new[] { confd.BaseUrl + "/metrics", podBMoved.BaseUrl + "/metrics" }));
        var status = new StringWriter();
        StatusText.Write(daemon.Daemon.Report(), status);
        Assert.That(status.ToString(), Does.Contain($"Kubernetes http://127.0.0.1:{api.Port} on node node-1: DOWN — the API answered 503"));
        await Eventually.WaitAsync(() => daemon.Written().Any(p => p.TryGetProperty("check", out var c) && c.GetString() == Daemon.KubernetesServiceCheck && p.GetProperty("status").GetString() == "critical"), "falco.check.kubernetes.up is critical");

        // It comes back: a pod added meanwhile is found.
        var podC = FalcoPods.Chart("falco-c", "node-1", "127.0.0.1", podA.Port);
        api.SetQuietly(podC);
        api.Down = false;
        for (int i = 0; i < 20 && !Has(podA); i++)
        {
            daemon.Clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(100);
        }

        await Eventually.WaitAsync(() => Has(podA) && daemon.Daemon.Kubernetes is { Up: true }, "recovery finds the new pod");
        status = new StringWriter();
        StatusText.Write(daemon.Daemon.Report(), status);
        Assert.That(status.ToString(), Does.Contain("UP — watching").And.Contain("2 Falco pod(s), 2 instance(s)").And.Contain("falco/falco-c (label app.kubernetes.io/name=falco, 1 instance(s))"));
    }

    [Test]
    public async Task A_kubeconfig_that_cannot_be_used_stops_discovery_only()
    {
        await using var confd = ReplayServer.StartEmbedded();
        using var config = new TestConfig($"  - openmetrics_endpoint: {confd.BaseUrl}/metrics\n", agentExtra: "");
        string kubeconfig = Path.Combine(config.Folder, "kubeconfig");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            clusters:
            - name: eks
              cluster:
                server: https://127.0.0.1:6443
            contexts:
            - name: eks
              context: {cluster: eks, user: eks-admin}
            current-context: eks
            users:
            - name: eks-admin
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
            """);
        File.AppendAllText(config.AgentPath, $"""
            sinks:
              - type: file
                path: ./metrics.jsonl
            status:
              enabled: false
            kubernetes:
              enabled: true
              kubeconfig: {kubeconfig}
              node_name: node-1

            """);
        await using var daemon = await DaemonHarness.StartAsync(config);

        await Eventually.WaitAsync(() => daemon.Daemon.Loops.Any(l => l.Settings.Name == confd.BaseUrl + "/metrics"), "the conf.d instance runs");
        var status = new StringWriter();
        StatusText.Write(daemon.Daemon.Report(), status);
        Assert.That(status.ToString(), Does.Contain(
            $"DOWN — cannot configure the Kubernetes client: {kubeconfig}:13:5: users[0].user.exec: user 'eks-admin' gets its credentials from an exec plugin, which FalcoCheck does not run"));
    }
}
