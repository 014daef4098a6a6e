using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Configuration;

/// <summary>
/// Binds the <c>kubernetes:</c> section of the agent file. Without <c>kubeconfig</c> the client runs in-cluster,
/// which needs <c>KUBERNETES_SERVICE_HOST</c>: saying so at load beats a daemon that starts and never finds a pod.
/// </summary>
internal static class KubernetesConfigReader
{
    private static readonly ValueOption<bool> Enabled = Declare.Bool("enabled", false, "discover Falco pods through the Kubernetes API", "true");
    private static readonly TextOption<string> Kubeconfig = Declare.FilePath("kubeconfig", "reach the API from outside the cluster with this file",
        "/path/to/kubeconfig", "in-cluster (service account token, `KUBERNETES_SERVICE_HOST`)");
    private static readonly TextOption<string> NodeName = Declare.Text("node_name", "only pods on this node (fieldSelector `spec.nodeName`)",
        "\"%%env_NODE_NAME%%\"", "the whole cluster", allowEmpty: true);
    private static readonly TextOption<IReadOnlyList<string>> Namespaces = Declare.StringList("namespaces",
        "one namespace is watched alone, several as one filtered watch", "[falco]", "all");
    private static readonly TextOption<string> ClusterName = Declare.Text("cluster_name", "the `kube_cluster_name` tag", "my-cluster", "`DD_CLUSTER_NAME`");
    private static readonly TextOption<IReadOnlyDictionary<string, string>> PodLabelsAsTags = Declare.StringMap("pod_labels_as_tags",
        "pod label -> tag name, as the Agent's `kubernetes_pod_labels_as_tags`", "\n  app.kubernetes.io/instance: helm_release");
    private static readonly ValueOption<TimeSpan> ResyncPeriod = Declare.Seconds("resync_period", KubernetesConfig.DefaultResyncPeriod.TotalSeconds,
        "seconds between full lists (at least 10)");

    public static OptionSection Section { get; } = new("kubernetes", "a mapping of Kubernetes discovery settings",
        [Enabled, Kubeconfig, NodeName, Namespaces, ClusterName, PodLabelsAsTags, ResyncPeriod]);

    /// <summary>Kubernetes names (RFC 1123 subdomains) are at most 253 characters.</summary>
    private const int MaxNameLength = 253;

    /// <summary>The opened <c>kubernetes:</c> mapping; null (after an error, or when absent) gives null.</summary>
    public static KubernetesConfig? Read(ConfigMapping? map)
    {
        if (map is null)
        {
            return null;
        }

        ConfigReadContext ctx = map.Context;
        var namespaces = map.StringItems(Namespaces.Name) ?? []; // with each item's place, for its own error
        var config = new KubernetesConfig
        {
            Enabled = Enabled.Read(map),
            Kubeconfig = Kubeconfig.Read(map),
            NodeName = NodeName.Read(map) is { Length: > 0 } node ? node : null,
            Namespaces = [.. namespaces.Select(n => n.Text)],
            ClusterName = ClusterName.Read(map) ?? (ctx.GetEnv("DD_CLUSTER_NAME") is { Length: > 0 } env ? env.Trim() : null),
            PodLabelsAsTags = PodLabelsAsTags.Read(map) ?? new Dictionary<string, string>(StringComparer.Ordinal),
            ResyncPeriod = ResyncPeriod.Read(map),
        };

        if (config.NodeName is { } name && !IsName(name))
        {
            map.Error(NodeName.Name, $"expected a node name (lower-case letters, digits, '-' and '.'), got {ValueReader.Quote(name)}");
        }

        foreach ((string ns, YamlNode item, string path) in namespaces)
        {
            if (!IsName(ns) || ns.Contains('.', StringComparison.Ordinal))
            {
                ctx.Error(item, path, $"expected a namespace name (lower-case letters, digits and '-'), got {ValueReader.Quote(ns)}");
            }
        }

        if (config.ResyncPeriod < TimeSpan.FromSeconds(10))
        {
            map.Error(ResyncPeriod.Name, "expected at least 10 seconds: each resync lists every watched pod");
        }

        if (config.Enabled && config.Kubeconfig is null && string.IsNullOrEmpty(ctx.GetEnv("KUBERNETES_SERVICE_HOST")))
        {
            map.Error(Enabled.Name, "not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set); set kubeconfig to reach the API from outside the cluster");
        }

        return config;
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && !name.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-.")
        && name[0] != '-' && name[^1] != '-';
}
