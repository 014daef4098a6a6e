using FalcoCheck.Configuration;
using FalcoCheck.Runtime;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// Alerts received on a node carry the same cluster and node tags as the metrics of that node's Falco: the daemon
/// hands the alert pipeline the agent with them added to its tags (which the pipeline puts on every alert).
/// </summary>
public class KubernetesAlertTagsTests
{
    [Test]
    public void Alerts_get_kube_cluster_name_and_kube_node()
    {
        var agent = new AgentConfig { Tags = ["env:prod"], Kubernetes = new KubernetesConfig { Enabled = true, NodeName = "node-1", ClusterName = "prod-eu" } };

        Assert.That(Daemon.ForAlerts(agent).Tags, Is.EqualTo(new[] { "env:prod", "kube_cluster_name:prod-eu", "kube_node:node-1" }));
        Assert.That(agent.Tags, Is.EqualTo(new[] { "env:prod" }), "the instances' tags are left as they are");
    }

    [Test]
    public void Discovery_off_adds_no_tags()
    {
        var agent = new AgentConfig { Tags = ["env:prod"], Kubernetes = new KubernetesConfig { Enabled = false, NodeName = "node-1", ClusterName = "c" } };
        Assert.That(Daemon.ForAlerts(agent), Is.SameAs(agent));
        Assert.That(Daemon.ForAlerts(new AgentConfig()).Tags, Is.Empty);
    }
}
