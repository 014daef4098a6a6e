using System.Net;
using System.Text.Json;
using FalcoCheck.Configuration;
using FalcoCheck.Tests.Alerts;

namespace FalcoCheck.Tests.Discovery;

/// <summary>Alerts received on a node carry the same cluster and node tags as the metrics of that node's Falco.</summary>
public class KubernetesAlertTagsTests
{
    [Test]
    public async Task Alerts_get_kube_cluster_name_and_kube_node()
    {
        var sink = new RecordingLogSink();
        var kubernetes = new KubernetesConfig { Enabled = true, NodeName = "node-1", ClusterName = "prod-eu" };
        await using AlertHarness harness = await new AlertHarness(createSink: _ => sink, kubernetes: kubernetes).StartAsync();

        using HttpResponseMessage response = await harness.PostAsync(AlertSamples.OneLine);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Eventually.TrueAsync(() => sink.Entries.Count == 1, "the alert delivered");
        using var document = JsonDocument.Parse(sink.Entries[0]);
        var tags = document.RootElement.GetProperty("ddtags").GetString()!.Split(',');
        Assert.That(tags, Does.Contain("kube_cluster_name:prod-eu").And.Contain("kube_node:node-1").And.Contain("env:test"));
    }

    [Test]
    public void Discovery_off_adds_no_tags() =>
        Assert.That(new KubernetesConfig { Enabled = false, NodeName = "node-1", ClusterName = "c" }.NodeTags(), Is.Empty);
}
