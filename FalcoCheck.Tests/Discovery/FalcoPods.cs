using k8s.Models;

namespace FalcoCheck.Tests.Discovery;

/// <summary>Pods shaped like those of Falco's Helm chart (DaemonSet "falco", container "falco", port "metrics").</summary>
internal static class FalcoPods
{
    public static V1Pod Chart(string name, string node, string ip, int metricsPort, string ns = "falco", bool ready = true,
        IDictionary<string, string>? annotations = null, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Uid = "uid-" + ns + "-" + name,
            Labels = labels ?? new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = "falco",
                ["app.kubernetes.io/instance"] = "falco",
                ["team"] = "security",
            },
            Annotations = annotations,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "falco", Uid = "ds-uid", Controller = true }],
        },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers =
            [
                new V1Container
                {
                    Name = "falco",
                    Image = "docker.io/falcosecurity/falco:0.41.3",
                    Ports = [new V1ContainerPort { Name = "metrics", ContainerPort = metricsPort, Protocol = "TCP" }],
                },
            ],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            HostIP = "10.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            ContainerStatuses = [new V1ContainerStatus { Name = "falco", ContainerID = "containerd://0123abcd" + name, Ready = ready, Image = "falco", ImageID = "sha", RestartCount = 0 }],
        },
    };

    /// <summary>A pod that is not Falco's: the watch sees it, discovery must leave it alone.</summary>
    public static V1Pod Other(string name, string node) =>
        Chart(name, node, "127.0.0.1", 9999, ns: "default", labels: new Dictionary<string, string> { ["app"] = "nginx" });
}
