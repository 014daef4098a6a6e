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
        // HOST_IP after its use, and the API key's Secret made required (a pod that cannot start without it).
        var hostIp = variables.Children[0];
        variables.Children.RemoveAt(0);
        variables.Children.Add(hostIp);
        var apiKey = variables.Children.Single(v => Text(v, "name") == "DD_API_KEY");
        ((YamlMappingNode)At(apiKey, "valueFrom.secretKeyRef")!).Children[new YamlScalarNode("optional")] = new YamlScalarNode("false");

        Assert.That(KubernetesCheck.Problems(documents), Is.EquivalentTo(new[]
        {
            "env FALCO_METRICS_URL uses $(HOST_IP) before it is defined",
            "env DD_API_KEY needs a Secret the manifests do not create; mark it optional",
        }));
    }

    [Test]
    public void The_mounted_configuration_loads_and_scrapes_the_Falco_of_the_node()
    {
        var documents = Documents(Kubernetes);
        var files = KubernetesCheck.MountedFiles(documents);
        var environment = KubernetesCheck.Environment(documents, hostIp: "10.1.2.3", nodeName: "node-7");
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
        var check = ConfigLoader.LoadCheck(Local(ConfigLoader.CheckConfigPath(agent)), environment.GetValueOrDefault);

        Assert.Multiple(() =>
        {
            Assert.That(files.Keys, Does.Contain(ConfigLoader.CheckConfigPath(agent)), "conf.yaml is mounted where confd_path points");
            Assert.That(check.Errors.Select(e => e.ToString()), Is.Empty);
            Assert.That(check.Instances.Single().OpenMetricsEndpoint.ToString(), Is.EqualTo("http://10.1.2.3:8765/metrics"));
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
