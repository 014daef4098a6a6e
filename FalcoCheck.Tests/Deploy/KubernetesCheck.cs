using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static FalcoCheck.Tests.Deploy.DeployFiles;

namespace FalcoCheck.Tests.Deploy;

/// <summary>
/// What must hold between the DaemonSet, its ConfigMap and its RBAC for the pods to start, find the Falco pods of
/// their node through the API and scrape them. The API key's Secret is not among the manifests (applying them must
/// never overwrite a real key), so every Secret reference must be optional; the ClusterRole may read pods and
/// nothing else. Returns the problems, so a test can also feed it a broken manifest.
/// </summary>
internal static partial class KubernetesCheck
{
    public static List<string> Problems(IReadOnlyList<YamlMappingNode> documents)
    {
        var problems = new List<string>();
        YamlMappingNode? Kind(string kind) => documents.SingleOrDefault(d => Text(d, "kind") == kind);
        var daemonSet = Kind("DaemonSet");
        var configMap = Kind("ConfigMap");
        var account = Kind("ServiceAccount");
        var role = Kind("ClusterRole");
        var binding = Kind("ClusterRoleBinding");
        if (daemonSet is null || configMap is null || account is null || role is null || binding is null || Kind("Secret") is not null)
        {
            return ["expected one DaemonSet, ConfigMap, ServiceAccount, ClusterRole and ClusterRoleBinding, and no Secret"];
        }

        var pod = At(daemonSet, "spec.template.spec")!;
        var container = Items(pod, "containers").Single();
        var env = Items(container, "env").ToList();
        var names = env.Select(e => Text(e, "name")).ToList();

        // $(VAR) in an env value expands only variables defined earlier in the list.
        foreach (var variable in env)
        {
            foreach (Match reference in Reference().Matches(Text(variable, "value") ?? string.Empty))
            {
                var index = names.IndexOf(reference.Groups[1].Value);
                if (index < 0 || index > names.IndexOf(Text(variable, "name")))
                {
                    problems.Add($"env {Text(variable, "name")} uses $({reference.Groups[1].Value}) before it is defined");
                }
            }
        }

        if (env.SingleOrDefault(e => Text(e, "name") == "NODE_NAME") is not { } nodeName || Text(nodeName, "valueFrom.fieldRef.fieldPath") != "spec.nodeName")
        {
            problems.Add("env NODE_NAME must come from spec.nodeName (the downward API)");
        }

        // Discovery scrapes pod IPs: neither FalcoCheck nor Falco needs the node's network.
        if (Text(pod, "hostNetwork") == "true" || Items(container, "ports").Any(p => At(p, "hostPort") is not null))
        {
            problems.Add("the pod must not need hostNetwork or a hostPort");
        }

        string accountName = Text(account, "metadata.name")!;
        if (Text(pod, "serviceAccountName") != accountName || Text(pod, "automountServiceAccountToken") == "false")
        {
            problems.Add($"the pod must run as ServiceAccount {accountName} with its token mounted");
        }

        foreach (var rule in Items(role, "rules"))
        {
            var groups = Strings(rule, "apiGroups");
            var resources = Strings(rule, "resources");
            var verbs = Strings(rule, "verbs");
            if (!groups.SequenceEqual([""]) || !resources.SequenceEqual(["pods"]) || verbs.Except(["get", "list", "watch"]).Any())
            {
                problems.Add($"ClusterRole {Text(role, "metadata.name")} grants more than get/list/watch on pods: [{string.Join(", ", groups)}] [{string.Join(", ", resources)}] [{string.Join(", ", verbs)}]");
            }
        }

        if (Text(binding, "roleRef.kind") != "ClusterRole" || Text(binding, "roleRef.name") != Text(role, "metadata.name")
            || !Items(binding, "subjects").Any(s => Text(s, "kind") == "ServiceAccount" && Text(s, "name") == accountName && Text(s, "namespace") == Text(account, "metadata.namespace")))
        {
            problems.Add("the ClusterRoleBinding must bind the ClusterRole to the ServiceAccount in its namespace");
        }

        foreach (var reference in env.Where(e => At(e, "valueFrom.secretKeyRef") is not null))
        {
            if (Text(reference, "valueFrom.secretKeyRef.optional") != "true")
            {
                problems.Add($"env {Text(reference, "name")} needs a Secret the manifests do not create; mark it optional");
            }
        }

        var configName = Text(configMap, "metadata.name");
        var configKeys = (At(configMap, "data") as YamlMappingNode)?.Children.Keys.Select(k => k.ToString()).ToHashSet() ?? [];
        foreach (var volume in Items(pod, "volumes").Where(v => At(v, "configMap") is not null))
        {
            if (Text(volume, "configMap.name") != configName)
            {
                problems.Add($"volume {Text(volume, "name")} mounts a ConfigMap that is not in the manifests");
            }

            foreach (var item in Items(volume, "configMap.items").Where(i => !configKeys.Contains(Text(i, "key")!)))
            {
                problems.Add($"volume {Text(volume, "name")} maps key {Text(item, "key")}, which the ConfigMap does not have");
            }
        }

        foreach (var (path, what) in new[] { ("securityContext.readOnlyRootFilesystem", "true"), ("securityContext.allowPrivilegeEscalation", "false") })
        {
            if (Text(container, path) != what)
            {
                problems.Add($"container {path} must be {what}");
            }
        }

        if (Text(pod, "securityContext.runAsNonRoot") != "true")
        {
            problems.Add("the pod must run as non-root");
        }

        if (Text(daemonSet, "metadata.namespace") != Text(configMap, "metadata.namespace") || Text(daemonSet, "metadata.namespace") != Text(account, "metadata.namespace"))
        {
            problems.Add("the DaemonSet, ConfigMap and ServiceAccount must share a namespace");
        }

        return problems;
    }

    /// <summary>The files the pod sees: mount path plus each ConfigMap item's path, to the item's content.</summary>
    public static Dictionary<string, string> MountedFiles(IReadOnlyList<YamlMappingNode> documents)
    {
        var configMap = documents.Single(d => Text(d, "kind") == "ConfigMap");
        var pod = At(documents.Single(d => Text(d, "kind") == "DaemonSet"), "spec.template.spec")!;
        var container = Items(pod, "containers").Single();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in Items(pod, "volumes").Where(v => At(v, "configMap") is not null))
        {
            var mount = Items(container, "volumeMounts").Single(m => Text(m, "name") == Text(volume, "name"));
            foreach (var item in Items(volume, "configMap.items"))
            {
                // Keys hold dots (falcocheck.yaml): look them up directly, not as a dotted path.
                var data = (YamlMappingNode)At(configMap, "data")!;
                files[Text(mount, "mountPath") + "/" + Text(item, "path")] = ((YamlScalarNode)data.Children[new YamlScalarNode(Text(item, "key"))]).Value!;
            }
        }

        return files;
    }

    /// <summary>
    /// The container's environment as Kubernetes builds it on a node with the given address and name, before the
    /// optional Secret is created (its variables are unset).
    /// </summary>
    public static Dictionary<string, string> Environment(IReadOnlyList<YamlMappingNode> documents, string hostIp, string nodeName)
    {
        var pod = At(documents.Single(d => Text(d, "kind") == "DaemonSet"), "spec.template.spec")!;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Items(Items(pod, "containers").Single(), "env"))
        {
            var value = Text(variable, "value")
                ?? (Text(variable, "valueFrom.fieldRef.fieldPath") switch { "status.hostIP" => hostIp, "spec.nodeName" => nodeName, _ => null })
                ?? string.Empty;
            values[Text(variable, "name")!] = Reference().Replace(value, m => values.GetValueOrDefault(m.Groups[1].Value, m.Value));
        }

        return values;
    }

    private static List<string> Strings(YamlNode node, string path) =>
        At(node, path) is YamlSequenceNode list ? [.. list.Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty)] : [];

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
