using FalcoCheck.Configuration;
using FalcoCheck.Discovery;
using System.Text.Json.Nodes;

namespace FalcoCheck.Tests.Discovery;

/// <summary>A pod's annotations or chart label into conf.d's InstanceConfig, with Kubernetes tags and errors that name the pod.</summary>
public class PodInstancesTests
{
    private const string ChecksKey = "ad.datadoghq.com/falco.checks";

    private static readonly KubernetesConfig Config = new()
    {
        Enabled = true,
        ClusterName = "prod-eu",
        PodLabelsAsTags = new Dictionary<string, string> { ["team"] = "team" },
    };

    private static PodInstances Reader(Func<string, string?>? env = null) =>
        new(Config, "/etc/falcocheck/conf.d/falco.d/auto_conf.yaml", PodInstances.DefaultAutoConf, env ?? (_ => null), "/etc/falcocheck");

    private static DiscoveredPod Read(JsonObject pod, Func<string, string?>? env = null) =>
        Reader(env).Read(FalcoPods.Read(pod), null) ?? throw new AssertionException("the pod was not discovered");

    [Test]
    public void Chart_label_uses_the_metrics_port_and_tags_the_pod()
    {
        var found = Read(FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8766));

        Assert.That(found.Errors, Is.Empty);
        var instance = found.Instances.Single();
        Assert.That(instance.OpenMetricsEndpoint.ToString(), Is.EqualTo("http://10.1.2.3:8766/metrics"));
        Assert.That(instance.Tags, Is.EquivalentTo(new[]
        {
            "kube_namespace:falco", "pod_name:falco-abc12", "kube_node:node-1", "kube_cluster_name:prod-eu",
            "kube_daemon_set:falco", "container_name:falco", "container_id:0123abcdfalco-abc12", "team:security",
        }));
    }

    [Test]
    public void Chart_label_without_a_metrics_port_falls_back_to_8765()
    {
        var pod = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8766);
        pod["spec"]!["containers"]![0]!["ports"] = new JsonArray(new JsonObject { ["name"] = "web", ["containerPort"] = 9000, ["protocol"] = "TCP" });

        Assert.That(Read(pod).Instances.Single().OpenMetricsEndpoint.ToString(), Is.EqualTo("http://10.1.2.3:8765/metrics"));
    }

    [Test]
    public void Autodiscovery_v2_annotation_takes_every_conf_d_option_and_the_template_variables()
    {
        var pod = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8766, annotations: new Dictionary<string, string>
        {
            [ChecksKey] = """
                {"falco": {"init_config": {"timeout": 4},
                  "instances": [{"openmetrics_endpoint": "http://%%host%%:%%port_metrics%%/metrics",
                                 "min_collection_interval": 30, "tags": ["ns:%%kube_namespace%%", "env:%%env_STAGE%%"],
                                 "exclude_metrics": ["falco.jemalloc.*"]}]},
                 "nginx": {"instances": [{"nginx_status_url": "http://%%host%%/status"}]}}
                """,
        });

        var found = Read(pod, name => name == "STAGE" ? "prod" : null);

        Assert.That(found.Errors, Is.Empty);
        Assert.That(found.Source, Is.EqualTo("annotation"));
        var instance = found.Instances.Single();
        Assert.That(instance.OpenMetricsEndpoint.ToString(), Is.EqualTo("http://10.1.2.3:8766/metrics"));
        Assert.That(instance.Timeout, Is.EqualTo(TimeSpan.FromSeconds(4)));
        Assert.That(instance.MinCollectionInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(instance.ExcludeMetrics, Is.EqualTo(new[] { "falco.jemalloc.*" }));
        Assert.That(instance.Tags, Does.Contain("ns:falco").And.Contain("env:prod").And.Contain("pod_name:falco-abc12"));
    }

    [Test]
    public void Autodiscovery_v1_trio_is_read_at_the_index_of_falco()
    {
        var pod = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8766, annotations: new Dictionary<string, string>
        {
            ["ad.datadoghq.com/falco.check_names"] = """["nginx", "falco"]""",
            ["ad.datadoghq.com/falco.init_configs"] = """[{}, {}]""",
            ["ad.datadoghq.com/falco.instances"] = """[{"nginx_status_url": "x"}, {"openmetrics_endpoint": "http://%%host%%:%%port%%/metrics", "tags": ["pod:%%kube_pod_name%%"]}]""",
        });

        var found = Read(pod);

        Assert.That(found.Errors, Is.Empty);
        var instance = found.Instances.Single();
        Assert.That(instance.OpenMetricsEndpoint.ToString(), Is.EqualTo("http://10.1.2.3:8766/metrics"));
        Assert.That(instance.Tags, Does.Contain("pod:falco-abc12"));
    }

    private static IEnumerable<TestCaseData> AnnotationErrors()
    {
        yield return new TestCaseData(
            """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%host%%:8765/metrics", "timout": 3}]}}""",
            "pod falco/falco-abc12 annotation ad.datadoghq.com/falco.checks:1:83: instances[0].timout: unknown setting 'timout'; did you mean 'timeout'?")
            .SetName("unknown option, with did-you-mean, at line:column of the annotation");
        yield return new TestCaseData(
            """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%host%%:8765/metrics",""",
            "pod falco/falco-abc12 annotation ad.datadoghq.com/falco.checks:2:1: While parsing a node, did not find expected node content")
            .SetName("broken JSON");
        yield return new TestCaseData(
            """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%hots%%:8765/metrics"}]}}""",
            "pod falco/falco-abc12 annotation ad.datadoghq.com/falco.checks:1:51: instances[0].openmetrics_endpoint: unknown template variable '%%hots%%'")
            .SetName("unknown template variable");
        yield return new TestCaseData(
            """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%host%%:%%port_prom%%/metrics"}]}}""",
            "'%%port_prom%%': no container port named 'prom' in the pod")
            .SetName("port name not in the pod");
        yield return new TestCaseData(
            """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%host%%:8765/metrics", "timeout": "soon"}]}}""",
            "instances[0].timeout: expected")
            .SetName("wrong type");
    }

    [TestCaseSource(nameof(AnnotationErrors))]
    public void Annotation_error_names_the_pod_and_annotation(string annotation, string expected)
    {
        var pod = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8766, annotations: new Dictionary<string, string> { [ChecksKey] = annotation });

        var found = Read(pod);

        Assert.That(found.Instances, Is.Empty, "an instance with errors is not run");
        Assert.That(found.Errors, Has.Some.Contains(expected), string.Join("\n", found.Errors));
    }

    [Test]
    public void Annotation_for_a_container_the_pod_does_not_have_is_an_error()
    {
        var pod = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8766, annotations: new Dictionary<string, string>
        {
            ["ad.datadoghq.com/falco-exporter.checks"] = """{"falco": {"instances": [{"openmetrics_endpoint": "http://%%host%%:8765/metrics"}]}}""",
        });

        Assert.That(Read(pod).Errors.Single(), Does.Contain("no container named 'falco-exporter' in the pod"));
    }

    [Test]
    public void Pods_that_are_not_ready_or_not_falco_are_not_discovered()
    {
        var reader = Reader();
        Assert.Multiple(() =>
        {
            Assert.That(reader.Read(FalcoPods.Read(FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8765, ready: false)), null), Is.Null, "not Ready");
            Assert.That(reader.Read(FalcoPods.Read(FalcoPods.Other("nginx-1", "node-1")), null), Is.Null, "not Falco");
            var pending = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8765);
            pending["status"]!.AsObject().Remove("podIP");
            Assert.That(reader.Read(FalcoPods.Read(pending), null), Is.Null, "no IP yet");
            var deleting = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8765);
            deleting["metadata"]!["deletionTimestamp"] = "2026-12-03T08:00:00Z";
            Assert.That(reader.Read(FalcoPods.Read(deleting), null), Is.Null, "being deleted");
        });
    }

    [Test]
    public void An_update_that_changes_nothing_keeps_the_same_instances_and_an_IP_change_does_not()
    {
        var reader = Reader();
        var pod = FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8765);
        var first = reader.Read(FalcoPods.Read(pod), null);
        pod["metadata"]!["resourceVersion"] = "999";
        Assert.That(reader.Read(FalcoPods.Read(pod), first), Is.SameAs(first));

        pod["status"]!["podIP"] = "10.1.2.4";
        var moved = reader.Read(FalcoPods.Read(pod), first);
        Assert.That(moved, Is.Not.SameAs(first));
        Assert.That(moved!.Instances.Single().OpenMetricsEndpoint.Host, Is.EqualTo("10.1.2.4"));
    }

    [Test]
    public void Shipped_auto_conf_makes_the_same_instance_as_the_built_in_template()
    {
        string text = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "conf.d", "falco.d", "auto_conf.yaml"));
        var reader = new PodInstances(Config, "auto_conf.yaml", text, _ => null, "/tmp");
        var found = reader.Read(FalcoPods.Read(FalcoPods.Chart("falco-abc12", "node-1", "10.1.2.3", 8766)), null)!;
        Assert.That(found.Errors, Is.Empty);
        Assert.That(found.Instances.Single().OpenMetricsEndpoint.ToString(), Is.EqualTo("http://10.1.2.3:8766/metrics"));
    }
}
