namespace FalcoCheck.Configuration;

/// <summary>
/// Binds the <c>kubernetes:</c> section of the agent file. Without <c>kubeconfig</c> the client runs in-cluster,
/// which needs <c>KUBERNETES_SERVICE_HOST</c>: saying so at load beats a daemon that starts and never finds a pod.
/// </summary>
internal static class KubernetesConfigReader
{
    public const string Key = "kubernetes";

    private static readonly string[] Keys =
        ["enabled", "kubeconfig", "node_name", "namespaces", "cluster_name", "pod_labels_as_tags", "resync_period"];

    /// <summary>Kubernetes names (RFC 1123 subdomains) are at most 253 characters.</summary>
    private const int MaxNameLength = 253;

    public static KubernetesConfig? Read(ConfigMapping agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ConfigReadContext ctx = agent.Context;
        ConfigMapping? map = ConfigMapping.Open(ctx, agent.Get(Key), agent.PathOf(Key), agent.PositionOf(Key), Keys,
            what: "a mapping of Kubernetes discovery settings");
        if (map is null || agent.Get(Key) is null)
        {
            return null;
        }

        var config = new KubernetesConfig
        {
            Enabled = map.Bool("enabled") ?? false,
            Kubeconfig = map.FilePath("kubeconfig"),
            NodeName = map.String("node_name", allowEmpty: true) is { Length: > 0 } node ? node : null,
            Namespaces = map.StringList("namespaces") ?? [],
            ClusterName = map.String("cluster_name") ?? (ctx.GetEnv("DD_CLUSTER_NAME") is { Length: > 0 } env ? env.Trim() : null),
            PodLabelsAsTags = map.StringMap("pod_labels_as_tags") ?? new Dictionary<string, string>(StringComparer.Ordinal),
            ResyncPeriod = map.Seconds("resync_period") ?? KubernetesConfig.DefaultResyncPeriod,
        };

        if (config.NodeName is { } name && !IsName(name))
        {
            map.Error("node_name", $"expected a node name (lower-case letters, digits, '-' and '.'), got {ValueReader.Quote(name)}");
        }

        for (int i = 0; i < config.Namespaces.Count; i++)
        {
            if (!IsName(config.Namespaces[i]) || config.Namespaces[i].Contains('.', StringComparison.Ordinal))
            {
                ctx.Error(map.PositionOf("namespaces"), ValueReader.Index(map.PathOf("namespaces"), i),
                    $"expected a namespace name (lower-case letters, digits and '-'), got {ValueReader.Quote(config.Namespaces[i])}");
            }
        }

        if (config.ResyncPeriod < TimeSpan.FromSeconds(10))
        {
            map.Error("resync_period", "expected at least 10 seconds: each resync lists every watched pod");
        }

        if (config.Enabled && config.Kubeconfig is null && string.IsNullOrEmpty(ctx.GetEnv("KUBERNETES_SERVICE_HOST")))
        {
            map.Error("enabled", "not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set); set kubeconfig to reach the API from outside the cluster");
        }

        return config;
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && !name.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-.")
        && name[0] != '-' && name[^1] != '-';
}
