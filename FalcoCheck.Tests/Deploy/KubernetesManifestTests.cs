using FalcoCheck.Configuration;
using FalcoCheck.Tests.Configuration;
using YamlDotNet.RepresentationModel;
using static FalcoCheck.Tests.Deploy.DeployFiles;

namespace FalcoCheck.Tests.Deploy;

/// <summary>
/// samples/deploy/kubernetes, as far as this machine allows without a cluster: the manifests parse, refer to each
/// other correctly, and the configuration they mount loads through our loader with the environment a node gives.
/// </summary>
internal sealed class KubernetesManifestTests
{
    [Test]
    public void The_manifests_fit_together()
    {
        Assert.That(KubernetesCheck.Problems(Documents(Kubernetes)), Is.Empty);
    }

    [Test]
    public void The_check_catches_a_broken_manifest()
    {
        var documents = Documents(Kubernetes);
        var env = (YamlSequenceNode)At(documents.Single(d => Text(d, "kind") == "DaemonSet"), "spec.template.spec.containers")!;
        var variables = (YamlSequenceNode)At(env.Children[0], "env")!;
        // A variable used before it is defined, the API key's Secret made required, the role widened to Secrets,
        // and the pod back on the host network.
        variables.Children.Insert(0, new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode("URL"), new YamlScalarNode("value"), new YamlScalarNode("http://$(NODE_NAME):8765")));
        var apiKey = variables.Children.Single(v => Text(v, "name") == "DD_API_KEY");
        ((YamlMappingNode)At(apiKey, "valueFrom.secretKeyRef")!).Children[new YamlScalarNode("optional")] = new YamlScalarNode("false");
        var rule = Items(documents.Single(d => Text(d, "kind") == "ClusterRole"), "rules").Single();
        ((YamlSequenceNode)At(rule, "resources")!).Children.Add(new YamlScalarNode("secrets"));
        ((YamlMappingNode)At(documents.Single(d => Text(d, "kind") == "DaemonSet"), "spec.template.spec")!).Children[new YamlScalarNode("hostNetwork")] = new YamlScalarNode("true");

        Assert.That(KubernetesCheck.Problems(documents), Is.EquivalentTo(new[]
        {
            "env URL uses $(NODE_NAME) before it is defined",
            "env DD_API_KEY needs a Secret the manifests do not create; mark it optional",
            "ClusterRole falcocheck grants more than get/list/watch on pods: [] [pods, secrets] [get, list, watch]",
            "the pod must not need hostNetwork or a hostPort",
        }));
    }

    [Test]
    public void The_mounted_configuration_discovers_the_Falco_pods_of_the_node()
    {
        var documents = Documents(Kubernetes);
        var files = KubernetesCheck.MountedFiles(documents);
        var environment = KubernetesCheck.Environment(documents, hostIp: "10.1.2.3", nodeName: "node-7");
        // What the kubelet adds to every container: where the API is.
        environment["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        var daemonSet = documents.Single(d => Text(d, "kind") == "DaemonSet");
        var container = Items(At(daemonSet, "spec.template.spec")!, "containers").Single();
        var args = ((YamlSequenceNode)At(container, "args")!).Children.Select(a => a.ToString()).ToList();
        var agentPath = args[args.IndexOf("--config") + 1];
        using var dir = new TempDir();

        // The pod's files, rooted in a temporary folder.
        string Local(string podPath) => Path.Combine(dir.Path, podPath.TrimStart('/'));
        foreach (var (path, content) in files)
        {
            dir.Write(path.TrimStart('/'), content);
        }

        var agent = ConfigLoader.LoadAgent(Local(agentPath), environment.GetValueOrDefault);
        var check = ConfigLoader.LoadCheck(agent, environment.GetValueOrDefault);
        string autoConf = Local(Path.Combine(agent.ConfdPath, "falco.d", "auto_conf.yaml"));
        var reader = new FalcoCheck.Discovery.PodInstances(agent.Kubernetes!, autoConf, File.ReadAllText(autoConf), environment.GetValueOrDefault, dir.Path);
        var falco = reader.Read(Discovery.FalcoPods.Read(Discovery.FalcoPods.Chart("falco-x7k2p", "node-7", "10.244.3.17", 8765)), null)!;

        Assert.Multiple(() =>
        {
            Assert.That(files.Keys, Does.Contain(Path.Combine(agent.ConfdPath, "falco.d", "auto_conf.yaml")), "auto_conf.yaml is mounted where confd_path points");
            Assert.That(check.Errors.Select(e => e.ToString()), Is.Empty, "no conf.yaml is needed with discovery");
            Assert.That(check.Instances, Is.Empty);
            Assert.That(agent.Kubernetes, Is.Not.Null.And.Property("Enabled").True.And.Property("NodeName").EqualTo("node-7").And.Property("Kubeconfig").Null);
            Assert.That(agent.Kubernetes!.ClusterName, Is.EqualTo("my-cluster"));
            Assert.That(falco.Errors, Is.Empty);
            Assert.That(falco.Instances.Single().OpenMetricsEndpoint.ToString(), Is.EqualTo("http://10.244.3.17:8765/metrics"), "the Falco pod is scraped at its pod IP");
            Assert.That(falco.Instances.Single().Tags, Does.Contain("helm_release:falco").And.Contain("kube_node:node-7").And.Contain("kube_cluster_name:my-cluster"));
            Assert.That(agent.Hostname, Is.EqualTo("node-7"));
            Assert.That(agent.ApiKey, Is.Null, "the console sink needs no key, so the pod runs before any Secret exists");
            Assert.That(agent.Sinks.Select(s => s.Type), Is.EqualTo(new[] { "console" }));
            Assert.That(agent.WatchConfig, Is.True);
            var mounts = Items(container, "volumeMounts").Select(m => Text(m, "mountPath")).ToList();
            Assert.That(mounts, Does.Contain(agent.StateDir), "state_dir is a volume (the root filesystem is read-only)");
            var probe = ((YamlSequenceNode)At(container, "livenessProbe.exec.command")!).Children.Select(c => c.ToString()).ToList();
            Assert.That(probe, Does.Contain(agent.Status.ListenText), "the liveness probe asks the status endpoint the daemon serves");
            var grace = int.Parse(Text(daemonSet, "spec.template.spec.terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(TimeSpan.FromSeconds(grace), Is.GreaterThan(agent.ShutdownTimeout), "Kubernetes waits longer than falcocheck's shutdown_timeout");
        });
    }

    [Test]
    public void The_kustomization_lists_every_manifest()
    {
        var kustomization = Documents(Kubernetes).Single(d => Text(d, "kind") == "Kustomization");
        var listed = ((YamlSequenceNode)At(kustomization, "resources")!).Children.Select(r => r.ToString());
        var files = Directory.GetFiles(Kubernetes, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        Assert.That(listed, Is.EquivalentTo(files));
    }
}
