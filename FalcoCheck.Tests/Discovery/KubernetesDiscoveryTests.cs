using FalcoCheck.Configuration;
using FalcoCheck.Discovery;
using FalcoCheck.Tests.Configuration;
using FalcoCheck.Tests.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// The real Kubernetes client against <see cref="StandInKubernetesApi"/>: list, watch, 410 Gone, dropped
/// connections, an outage and a slow answer. What is checked is the instance set discovery hands over.
/// </summary>
public class KubernetesDiscoveryTests
{
    private static DiscoveryRun Start(StandInKubernetesApi api, TempDir dir, string? node = "node-1", IReadOnlyList<string>? namespaces = null, TimeSpan? resync = null)
    {
        var config = new KubernetesConfig
        {
            Enabled = true,
            Kubeconfig = api.WriteKubeconfig(dir.Path),
            NodeName = node,
            Namespaces = namespaces ?? [],
            ClusterName = "stand-in",
            ResyncPeriod = resync ?? KubernetesConfig.DefaultResyncPeriod,
        };
        var reader = new PodInstances(config, "auto_conf.yaml", PodInstances.DefaultAutoConf, _ => null, dir.Path);
        return new DiscoveryRun(apply => new KubernetesDiscovery(reader, apply, NullLogger.Instance, TimeProvider.System) { MaxBackoff = TimeSpan.FromMilliseconds(200) });
    }

    /// <summary>The stand-in API with pod falco-a on node-1, listed and watched.</summary>
    private sealed class Watching : IAsyncDisposable
    {
        private readonly TempDir _dir = new();

        private Watching()
        {
            Api.Add(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765));
            Run = Start(Api, _dir);
        }

        public StandInKubernetesApi Api { get; } = new();

        public DiscoveryRun Run { get; }

        public static async Task<Watching> StartAsync()
        {
            var watching = new Watching();
            await watching.Run.WaitForAsync("http://10.0.1.1:8765/metrics");
            await Eventually.WaitAsync(() => watching.Api.OpenWatches == 1, "a watch is open");
            return watching;
        }

        public async ValueTask DisposeAsync()
        {
            await Run.DisposeAsync();
            await Api.DisposeAsync();
            _dir.Dispose();
        }
    }

    [Test]
    public async Task Lists_then_follows_pods_as_they_come_change_and_go()
    {
        using var dir = new TempDir();
        await using var api = new StandInKubernetesApi();
        api.Add(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765));
        api.Add(FalcoPods.Chart("falco-other-node", "node-2", "10.0.2.1", 8765));
        api.Add(FalcoPods.Other("nginx", "node-1"));
        await using var run = Start(api, dir);

        await run.WaitForAsync("http://10.0.1.1:8765/metrics");
        Assert.That(run.Last.Single().Tags, Does.Contain("kube_node:node-1").And.Contain("kube_cluster_name:stand-in"));
        Assert.That(api.Requests[0], Does.Contain("fieldSelector=spec.nodeName%3Dnode-1"), "only this node's pods are asked for");
        Assert.That(api.LastAuthorization, Is.EqualTo("Bearer stand-in-token"), "the kubeconfig's credentials are used");

        await Eventually.WaitAsync(() => api.OpenWatches == 1, "a watch is open");
        var b = FalcoPods.Chart("falco-b", "node-1", "10.0.1.2", 8765, ready: false);
        api.Add(b);
        b = FalcoPods.Chart("falco-b", "node-1", "10.0.1.2", 8765);
        api.Modify(b);
        await run.WaitForAsync("http://10.0.1.1:8765/metrics", "http://10.0.1.2:8765/metrics");

        // The pod is rescheduled with a new IP: its instance moves.
        api.Modify(FalcoPods.Chart("falco-b", "node-1", "10.0.1.9", 8765));
        await run.WaitForAsync("http://10.0.1.1:8765/metrics", "http://10.0.1.9:8765/metrics");

        api.Delete(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765));
        await run.WaitForAsync("http://10.0.1.9:8765/metrics");

        Assert.That(api.Lists, Is.EqualTo(1), "one list, then everything came through the watch");
        Assert.That(api.Requests.Skip(1), Has.All.Contains("watch=true").And.All.Contains("resourceVersion="));
        Assert.That(run.Discovery.Report.Up, Is.True);
    }

    [Test]
    public async Task Gone_410_lists_again_and_catches_up_with_what_the_watch_missed()
    {
        await using var watching = await Watching.StartAsync();
        var (api, run) = (watching.Api, watching.Run);

        // A change the watch never delivers, then the history is compacted and the watch told 410 Gone.
        api.SetQuietly(FalcoPods.Chart("falco-c", "node-1", "10.0.1.3", 8765));
        api.Compact(dropWatches: true);

        await run.WaitForAsync("http://10.0.1.1:8765/metrics", "http://10.0.1.3:8765/metrics");
        Assert.That(api.Lists, Is.EqualTo(2), "410 Gone means a new list");
    }

    [Test]
    public async Task A_dropped_watch_is_resumed_from_its_resourceVersion_without_a_list()
    {
        await using var watching = await Watching.StartAsync();
        var (api, run) = (watching.Api, watching.Run);

        api.DropWatches();
        api.Add(FalcoPods.Chart("falco-b", "node-1", "10.0.1.2", 8765));

        await run.WaitForAsync("http://10.0.1.1:8765/metrics", "http://10.0.1.2:8765/metrics");
        Assert.That(api.Watches, Is.GreaterThanOrEqualTo(2));
        Assert.That(api.Lists, Is.EqualTo(1), "the watch resumed from its version");
        Assert.That(api.Requests.Last(), Does.Contain("watch=true"));
    }

    [Test]
    public async Task A_bookmark_moves_the_version_a_resumed_watch_starts_from()
    {
        await using var watching = await Watching.StartAsync();
        var (api, run) = (watching.Api, watching.Run);

        // A change outside the watch's field selector moves the version without an event; the bookmark carries it.
        api.Add(FalcoPods.Chart("falco-elsewhere", "node-2", "10.0.2.1", 8765));
        api.Bookmark();
        await Eventually.WaitAsync(() => run.Discovery.Report.WatchEvents == 1, "the bookmark is read");
        api.DropWatches();

        await Eventually.WaitAsync(() => api.Watches == 2, "the watch is resumed");
        Assert.That(api.Requests.Last(), Does.Contain($"resourceVersion={api.Version}&"), "from the bookmark's version, not the list's");
        Assert.That(api.Lists, Is.EqualTo(1));
        Assert.That(run.Endpoints, Is.EqualTo(new[] { "http://10.0.1.1:8765/metrics" }));
    }

    [Test]
    public async Task An_outage_keeps_the_last_set_and_recovery_brings_the_changes()
    {
        await using var watching = await Watching.StartAsync();
        var (api, run) = (watching.Api, watching.Run);
        int applies = run.Applies;

        api.Down = true;
        api.DropWatches();
        await Eventually.WaitAsync(() => !run.Discovery.Report.Up, "the API is reported down");
        Assert.That(run.Discovery.Report.Message, Does.Contain("503"));
        await Eventually.WaitAsync(() => api.Requests.Count(r => !r.Contains("watch=true", StringComparison.Ordinal)) >= 3, "retries while down");
        Assert.That(run.Applies, Is.EqualTo(applies), "nothing is stopped while the API is down");

        api.SetQuietly(FalcoPods.Chart("falco-b", "node-1", "10.0.1.2", 8765));
        api.Down = false;
        await run.WaitForAsync("http://10.0.1.1:8765/metrics", "http://10.0.1.2:8765/metrics");
        await Eventually.WaitAsync(() => run.Discovery.Report.Up, "the API is reported up again");
    }

    [Test]
    public async Task A_slow_list_is_waited_for()
    {
        using var dir = new TempDir();
        await using var api = new StandInKubernetesApi { ListDelay = TimeSpan.FromSeconds(2) };
        api.Add(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765));
        await using var run = Start(api, dir);
        await run.WaitForAsync("http://10.0.1.1:8765/metrics");
        Assert.That(api.Lists, Is.EqualTo(1));
    }

    [Test]
    public async Task Bad_annotations_are_errors_of_their_pod_only()
    {
        using var dir = new TempDir();
        await using var api = new StandInKubernetesApi();
        api.Add(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765));
        api.Add(FalcoPods.Chart("falco-bad", "node-1", "10.0.1.2", 8765, annotations: new Dictionary<string, string>
        {
            ["ad.datadoghq.com/falco.checks"] = """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%host%%:8765/metrics", "min_collection_interval": "often"}]}}""",
        }));
        await using var run = Start(api, dir, node: null);

        await run.WaitForAsync("http://10.0.1.1:8765/metrics");
        await Eventually.WaitAsync(() => run.Discovery.Report.Errors.Count == 1, "the bad pod's error is reported");
        Assert.That(run.Discovery.Report.Errors[0], Does.StartWith("pod falco/falco-bad annotation ad.datadoghq.com/falco.checks:1:").And.Contain("min_collection_interval"));
        Assert.That(api.Requests[0], Does.Not.Contain("fieldSelector"), "no node_name: the whole cluster");
    }

    [Test]
    public async Task Several_namespaces_are_one_watch_filtered_and_one_namespace_is_watched_alone()
    {
        using var dir = new TempDir();
        await using var api = new StandInKubernetesApi();
        api.Add(FalcoPods.Chart("falco-a", "node-1", "10.0.1.1", 8765, ns: "falco"));
        api.Add(FalcoPods.Chart("falco-b", "node-1", "10.0.1.2", 8765, ns: "sec"));
        api.Add(FalcoPods.Chart("falco-c", "node-1", "10.0.1.3", 8765, ns: "other"));
        await using (var both = Start(api, dir, namespaces: ["falco", "sec"]))
        {
            await both.WaitForAsync("http://10.0.1.1:8765/metrics", "http://10.0.1.2:8765/metrics");
        }

        await using var one = Start(api, dir, namespaces: ["sec"]);
        await one.WaitForAsync("http://10.0.1.2:8765/metrics");
        await Eventually.WaitAsync(() => api.Watches == 2, "the namespace's watch is asked for");
        Assert.That(api.Requests, Has.Some.StartsWith("/api/v1/namespaces/sec/pods?watch=true"), string.Join("\n", api.Requests));
        Assert.That(api.Requests, Has.Some.EqualTo("/api/v1/namespaces/sec/pods?fieldSelector=spec.nodeName%3Dnode-1&watch=false"), "the list of one namespace");
    }
}
