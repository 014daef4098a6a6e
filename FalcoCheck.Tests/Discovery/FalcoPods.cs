using System.Text.Json;
using System.Text.Json.Nodes;
using FalcoCheck.Discovery.Api;

namespace FalcoCheck.Tests.Discovery;

/// <summary>
/// Pods shaped like those of Falco's Helm chart (DaemonSet "falco", container "falco", port "metrics"), written as the
/// Kubernetes API serves them (core/v1 Pod JSON, with fields discovery does not read, as a real pod has), not through
/// our own models, so the models are tested against the API's shapes.
/// </summary>
internal static class FalcoPods
{
    public static JsonObject Chart(string name, string node, string ip, int metricsPort, string ns = "falco", bool ready = true,
        IDictionary<string, string>? annotations = null, IDictionary<string, string>? labels = null)
    {
        string readiness = ready ? "True" : "False";
        string readyFlag = ready ? "true" : "false";
        var pod = JsonNode.Parse($$"""
            {
              "kind": "Pod",
              "apiVersion": "v1",
              "metadata": {
                "name": "{{name}}",
                "generateName": "falco-",
                "namespace": "{{ns}}",
                "uid": "uid-{{ns}}-{{name}}",
                "resourceVersion": "1",
                "creationTimestamp": "2026-12-01T10:00:00Z",
                "ownerReferences": [
                  {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "falco", "uid": "ds-uid", "controller": true, "blockOwnerDeletion": true}
                ]
              },
              "spec": {
                "nodeName": "{{node}}",
                "serviceAccountName": "falco",
                "containers": [
                  {
                    "name": "falco",
                    "image": "docker.io/falcosecurity/falco:0.41.3",
                    "args": ["/usr/bin/falco"],
                    "ports": [{"name": "metrics", "containerPort": {{metricsPort}}, "protocol": "TCP"}],
                    "resources": {"limits": {"cpu": "1", "memory": "1Gi"} }
                  }
                ]
              },
              "status": {
                "phase": "Running",
                "hostIP": "10.0.0.1",
                "podIP": "{{ip}}",
                "podIPs": [{"ip": "{{ip}}"}],
                "startTime": "2026-12-01T10:00:01Z",
                "conditions": [
                  {"type": "Initialized", "status": "True", "lastTransitionTime": "2026-12-01T10:00:01Z"},
                  {"type": "Ready", "status": "{{readiness}}", "lastTransitionTime": "2026-12-01T10:00:05Z"}
                ],
                "containerStatuses": [
                  {"name": "falco", "containerID": "containerd://0123abcd{{name}}", "ready": {{readyFlag}}, "restartCount": 0,
                   "image": "falco", "imageID": "sha", "started": true, "state": {"running": {"startedAt": "2026-12-01T10:00:02Z"} } }
                ]
              }
            }
            """)!.AsObject();
        var metadata = pod["metadata"]!.AsObject();
        metadata["labels"] = Map(labels ?? new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "falco",
            ["app.kubernetes.io/instance"] = "falco",
            ["team"] = "security",
        });
        if (annotations is not null)
        {
            metadata["annotations"] = Map(annotations);
        }

        return pod;
    }

    /// <summary>A pod that is not Falco's: the watch sees it, discovery must leave it alone.</summary>
    public static JsonObject Other(string name, string node) =>
        Chart(name, node, "127.0.0.1", 9999, ns: "default", labels: new Dictionary<string, string> { ["app"] = "nginx" });

    /// <summary>The pod as discovery reads it, through the product's source-generated models.</summary>
    public static V1Pod Read(JsonObject pod) => pod.Deserialize(KubernetesJsonContext.Default.V1Pod)!;

    public static string Uid(JsonObject pod) => (string)pod["metadata"]!["uid"]!;

    private static JsonObject Map(IDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return map;
    }
}
