namespace FalcoCheck.Configuration;

/// <summary>
/// The <c>kubernetes:</c> section of falcocheck.yaml: discover Falco pods through the Kubernetes API and run one
/// instance per pod, beside the conf.d instances (Discovery/).
/// </summary>
internal sealed record KubernetesConfig
{
    /// <summary>A full list every five minutes catches anything a watch missed, as client-go informers resync.</summary>
    public static readonly TimeSpan DefaultResyncPeriod = TimeSpan.FromMinutes(5);

    public bool Enabled { get; init; }

    /// <summary>A kubeconfig file; null for in-cluster (service account token and KUBERNETES_SERVICE_HOST).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Only pods on this node (fieldSelector spec.nodeName); null for the whole cluster.</summary>
    public string? NodeName { get; init; }

    /// <summary>Namespaces to watch; empty for all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>The <c>kube_cluster_name</c> tag; DD_CLUSTER_NAME when not set.</summary>
    public string? ClusterName { get; init; }

    /// <summary>Pod label to tag name, as the Datadog Agent's <c>kubernetes_pod_labels_as_tags</c>.</summary>
    public IReadOnlyDictionary<string, string> PodLabelsAsTags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public TimeSpan ResyncPeriod { get; init; } = DefaultResyncPeriod;

    /// <summary>
    /// <c>kube_cluster_name</c> and <c>kube_node</c>, for what FalcoCheck receives on this node (alerts from the Falco
    /// beside it), so they match the tags of that Falco's metrics.
    /// </summary>
    public IReadOnlyList<string> NodeTags()
    {
        if (!Enabled)
        {
            return [];
        }

        var tags = new List<string>(2);
        if (ClusterName is { Length: > 0 } cluster)
        {
            tags.Add("kube_cluster_name:" + cluster);
        }

        if (NodeName is { Length: > 0 } node)
        {
            tags.Add("kube_node:" + node);
        }

        return tags;
    }
}
