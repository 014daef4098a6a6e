using FalcoCheck.Configuration;
using FalcoCheck.Discovery.Api;

namespace FalcoCheck.Discovery;

/// <summary>
/// The tags the Datadog Agent puts on a check discovered in a pod
/// (https://docs.datadoghq.com/containers/kubernetes/tag/): namespace, pod, node, cluster, owning DaemonSet,
/// container name and id, and the labels named in <c>pod_labels_as_tags</c>.
/// </summary>
internal static class PodTags
{
    public static List<string> For(V1Pod pod, V1Container? container, KubernetesConfig config)
    {
        var tags = new List<string>(8);
        Add(tags, "kube_namespace", pod.Metadata?.Namespace);
        Add(tags, "pod_name", pod.Metadata?.Name);
        Add(tags, "kube_node", pod.Spec?.NodeName);
        Add(tags, "kube_cluster_name", config.ClusterName);
        if (pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Kind == "DaemonSet") is { } owner)
        {
            Add(tags, "kube_daemon_set", owner.Name);
        }

        if (container is not null)
        {
            Add(tags, "container_name", container.Name);
            var status = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container.Name);
            Add(tags, "container_id", ContainerId(status?.ContainerID));
        }

        if (pod.Metadata?.Labels is { } labels)
        {
            foreach ((string label, string tag) in config.PodLabelsAsTags)
            {
                if (labels.TryGetValue(label, out string? value))
                {
                    Add(tags, tag, value);
                }
            }
        }

        return tags;
    }

    /// <summary>"containerd://0a1b…" is "0a1b…": the tag carries the bare id, whatever the runtime.</summary>
    public static string? ContainerId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        int scheme = id.IndexOf("://", StringComparison.Ordinal);
        return scheme < 0 ? id : id[(scheme + 3)..];
    }

    private static void Add(List<string> tags, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            tags.Add(name + ":" + value);
        }
    }
}
