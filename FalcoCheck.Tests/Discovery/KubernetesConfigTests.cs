using FalcoCheck.Configuration;
using FalcoCheck.Tests.Configuration;
using static FalcoCheck.Tests.Configuration.ConfigTestSupport;

namespace FalcoCheck.Tests.Discovery;

/// <summary>The <c>kubernetes:</c> section of falcocheck.yaml.</summary>
public class KubernetesConfigTests
{
    [Test]
    public void Reads_every_setting_with_env_expansion()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", """
            kubernetes:
              enabled: true
              kubeconfig: ./kubeconfig
              node_name: "%%env_NODE_NAME%%"
              namespaces: [falco, security]
              cluster_name: prod-eu
              pod_labels_as_tags:
                app.kubernetes.io/instance: release
              resync_period: 120
            """);

        var k8s = ConfigLoader.LoadAgent(path, Env(("NODE_NAME", "node-7"))).Kubernetes!;

        Assert.Multiple(() =>
        {
            Assert.That(k8s.Enabled, Is.True);
            Assert.That(k8s.Kubeconfig, Is.EqualTo(System.IO.Path.Combine(dir.Path, "kubeconfig")));
            Assert.That(k8s.NodeName, Is.EqualTo("node-7"));
            Assert.That(k8s.Namespaces, Is.EqualTo(new[] { "falco", "security" }));
            Assert.That(k8s.ClusterName, Is.EqualTo("prod-eu"));
            Assert.That(k8s.PodLabelsAsTags["app.kubernetes.io/instance"], Is.EqualTo("release"));
            Assert.That(k8s.ResyncPeriod, Is.EqualTo(TimeSpan.FromMinutes(2)));
        });
    }

    [Test]
    public void In_cluster_defaults_and_cluster_name_from_DD_CLUSTER_NAME()
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", "kubernetes:\n  enabled: true\n");

        var k8s = ConfigLoader.LoadAgent(path, Env(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("DD_CLUSTER_NAME", "from-env"))).Kubernetes!;

        Assert.Multiple(() =>
        {
            Assert.That(k8s.Kubeconfig, Is.Null);
            Assert.That(k8s.NodeName, Is.Null);
            Assert.That(k8s.Namespaces, Is.Empty);
            Assert.That(k8s.ClusterName, Is.EqualTo("from-env"));
            Assert.That(k8s.ResyncPeriod, Is.EqualTo(KubernetesConfig.DefaultResyncPeriod));
        });
    }

    [Test]
    public void Absent_section_means_no_discovery()
    {
        using var dir = new TempDir();
        Assert.That(ConfigLoader.LoadAgent(dir.Write("falcocheck.yaml", "hostname: a\n"), NoEnv).Kubernetes, Is.Null);
    }

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return new TestCaseData("kubernetes:\n  enabled: true\n  node_nmae: x\n",
            new[] { "falcocheck.yaml:3:3: kubernetes.node_nmae: unknown setting 'node_nmae'; did you mean 'node_name'?", "falcocheck.yaml:2:12: kubernetes.enabled: not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set); set kubeconfig to reach the API from outside the cluster" })
            .SetName("did you mean, and not in a pod without kubeconfig");
        yield return new TestCaseData("kubernetes:\n  kubeconfig: k\n  namespaces: [Falco_NS]\n",
            new[] { "falcocheck.yaml:3:16: kubernetes.namespaces[0]: expected a namespace name (lower-case letters, digits and '-'), got 'Falco_NS'" })
            .SetName("bad namespace");
        yield return new TestCaseData("kubernetes:\n  kubeconfig: k\n  namespaces:\n    - falco\n    - Bad_NS\n",
            new[] { "falcocheck.yaml:5:7: kubernetes.namespaces[1]: expected a namespace name (lower-case letters, digits and '-'), got 'Bad_NS'" })
            .SetName("bad namespace at its own line");
        yield return new TestCaseData("kubernetes:\n  kubeconfig: k\n  resync_period: 1\n",
            new[] { "falcocheck.yaml:3:18: kubernetes.resync_period: expected at least 10 seconds: each resync lists every watched pod" })
            .SetName("resync too short");
        yield return new TestCaseData("kubernetes: true\n",
            new[] { "falcocheck.yaml:1:13: kubernetes: expected a mapping of Kubernetes discovery settings, got a boolean" })
            .SetName("not a mapping");
    }

    [TestCaseSource(nameof(Errors))]
    public void Reports_the_place_and_the_problem(string yaml, string[] expected)
    {
        using var dir = new TempDir();
        string path = dir.Write("falcocheck.yaml", yaml);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadAgent(path, NoEnv));
        Assert.That(Render(e!.Errors, dir), Is.EquivalentTo(expected));
    }
}
