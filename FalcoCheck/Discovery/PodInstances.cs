using System.Text;
using FalcoCheck.Configuration;
using FalcoCheck.Discovery.Api;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Discovery;

/// <summary>
/// Turns a pod into instances, Datadog's conventions first: the Autodiscovery annotations
/// <c>ad.datadoghq.com/&lt;container&gt;.checks</c> (v2 JSON) or the v1 trio <c>.check_names</c> /
/// <c>.init_configs</c> / <c>.instances</c>; without them, a pod labelled <c>app.kubernetes.io/name=falco</c> (what
/// Falco's chart sets) gets the auto_conf.yaml template. Either way the instance goes through conf.d's own reader,
/// so every conf.d option works and errors read <c>pod NS/NAME annotation KEY:line:column: setting: message</c>.
/// </summary>
internal sealed class PodInstances(KubernetesConfig config, string autoConfPath, string autoConfText, Func<string, string?> getEnv, string baseDirectory,
    SecretBackendConfig? secrets = null)
{
    public const string AnnotationPrefix = "ad.datadoghq.com/";
    public const string CheckName = "falco";
    public const string ChartLabel = "app.kubernetes.io/name";

    /// <summary>The instance template for labelled pods when conf.d has no falco.d/auto_conf.yaml.</summary>
    public const string DefaultAutoConf = """
        init_config:
        instances:
          - openmetrics_endpoint: "http://%%host%%:%%port_metrics%%/metrics"
        """;

    // Values the secret backend gave, by handle, for the life of this reader (until the next reload makes another):
    // the backend runs once per handle, not once per pod and resync. Failures are not kept: they are asked again.
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public KubernetesConfig Config => config;

    /// <summary>
    /// The template of <paramref name="autoConfPath"/> (the built-in one when the file is absent) and its errors,
    /// file:line:column: a reload refuses a broken template as it refuses a broken conf.yaml. Throws IOException and
    /// UnauthorizedAccessException when the file cannot be read.
    /// </summary>
    public static PodInstances Load(KubernetesConfig config, string autoConfPath, Func<string, string?> getEnv, SecretBackendConfig? secrets, out IReadOnlyList<string> errors)
    {
        string text = File.Exists(autoConfPath) ? File.ReadAllText(autoConfPath) : DefaultAutoConf;
        string directory = Path.GetDirectoryName(autoConfPath)!;
        errors = Check(autoConfPath, text, getEnv, directory);
        return new PodInstances(config, autoConfPath, text, getEnv, directory, secrets);
    }

    /// <summary>
    /// Reads the template as it would be read for a pod, against a stand-in pod that has every port the template
    /// names: what is left are the template's own errors (syntax, settings, unknown variables), not a pod's.
    /// </summary>
    public static IReadOnlyList<string> Check(string autoConfPath, string text, Func<string, string?> getEnv, string baseDirectory)
    {
        var ctx = new ConfigReadContext(autoConfPath, getEnv, baseDirectory);
        if (!YamlDocumentLoader.TryLoad(ctx, text, out var root) || root is null)
        {
            return [.. ctx.ErrorsInFileOrder().Select(e => e.ToString())];
        }

        var ports = new List<V1ContainerPort> { new() { Name = "metrics", ContainerPort = TemplateVariables.FalcoMetricsPort } };
        foreach (string name in TemplateVariables.PortNames(text))
        {
            ports.Add(new V1ContainerPort { Name = name, ContainerPort = TemplateVariables.FalcoMetricsPort });
        }

        var container = new V1Container { Name = CheckName, Ports = ports };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "template", Namespace = "template", Uid = "template" },
            Spec = new V1PodSpec { NodeName = "template", Containers = [container] },
            Status = new V1PodStatus { Phase = "Running", PodIP = "192.0.2.1" },
        };
        TemplateVariables.Resolve(ctx, root, pod, container, metricsPortFallback: true);
        return [.. CheckConfigReader.Read(ctx, root).Errors.Select(e => e.ToString())];
    }

    /// <summary>The environment lookup (injected: tests never touch the real one), also for in-cluster settings.</summary>
    public Func<string, string?> GetEnv => getEnv;

    /// <summary>
    /// The pod's instances, or null when it is not a Falco pod or not ready to be scraped (not Running and Ready,
    /// no IP, being deleted). <paramref name="previous"/> is returned as is when nothing it was made from changed.
    /// </summary>
    public DiscoveredPod? Read(V1Pod pod, DiscoveredPod? previous)
    {
        var meta = pod.Metadata;
        if (meta?.Uid is not { } uid || !IsReady(pod))
        {
            return null;
        }

        var annotations = FalcoAnnotations(meta.Annotations);
        bool labelled = meta.Labels?.TryGetValue(ChartLabel, out string? app) == true && app == CheckName;
        if (annotations.Count == 0 && !labelled)
        {
            return null;
        }

        string fingerprint = Fingerprint(pod, annotations);
        if (previous is not null && previous.Fingerprint == fingerprint)
        {
            return previous;
        }

        string name = meta.Namespace + "/" + meta.Name;
        var instances = new List<InstanceConfig>();
        var errors = new List<string>();
        if (annotations.Count > 0)
        {
            foreach (var group in annotations.GroupBy(a => a.Container))
            {
                ReadAnnotations(pod, name, group.Key, group.ToDictionary(a => a.Kind, a => (a.Key, a.Value), StringComparer.Ordinal), instances, errors);
            }

            return new DiscoveredPod(uid, name, "annotation", fingerprint, instances, errors);
        }

        var container = MetricsContainer(pod);
        var ctx = new ConfigReadContext($"{autoConfPath} for pod {name}", getEnv, baseDirectory);
        if (YamlDocumentLoader.TryLoad(ctx, autoConfText, out var root) && root is not null)
        {
            TemplateVariables.Resolve(ctx, root, pod, container, metricsPortFallback: true);
            Collect(ctx, root, pod, container, instances, errors);
        }
        else
        {
            errors.AddRange(ctx.ErrorsInFileOrder().Select(e => e.ToString()));
        }

        return new DiscoveredPod(uid, name, "label " + ChartLabel + "=" + CheckName, fingerprint, instances, errors);
    }

    public static bool IsReady(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null
        && pod.Status is { Phase: "Running", PodIP.Length: > 0 } status
        && status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private void ReadAnnotations(V1Pod pod, string name, string containerName, Dictionary<string, (string Key, string Value)> kinds, List<InstanceConfig> instances, List<string> errors)
    {
        var container = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == containerName);
        var (firstKey, _) = kinds.TryGetValue("checks", out var v2) ? v2 : kinds.Values.First();
        var ctx = new ConfigReadContext($"pod {name} annotation {firstKey}", getEnv, baseDirectory);
        if (container is null)
        {
            errors.Add($"{ctx.At(1, 1)}: no container named '{containerName}' in the pod (the annotation is ad.datadoghq.com/<container>.…)");
            return;
        }

        if (kinds.ContainsKey("checks"))
        {
            // Autodiscovery v2: {"falco": {"init_config": {}, "instances": [...]}}, other checks are the Agent's.
            if (Load(ctx, v2.Value, errors) is not YamlMappingNode root)
            {
                return;
            }

            if (ConfigMapping.Peek(root, CheckName) is { } check)
            {
                TemplateVariables.Resolve(ctx, check, pod, container, metricsPortFallback: false);
                Collect(ctx, check, pod, container, instances, errors);
            }

            return;
        }

        // Autodiscovery v1: three parallel JSON lists; the entries at the index of "falco" in check_names are ours.
        if (!kinds.TryGetValue("check_names", out var namesText) || !kinds.TryGetValue("instances", out var instancesText))
        {
            errors.Add($"{ctx.At(1, 1)}: Autodiscovery v1 needs both ad.datadoghq.com/{containerName}.check_names and .instances");
            return;
        }

        var namesCtx = new ConfigReadContext($"pod {name} annotation {namesText.Key}", getEnv, baseDirectory);
        var instancesCtx = new ConfigReadContext($"pod {name} annotation {instancesText.Key}", getEnv, baseDirectory);
        var names = Load(namesCtx, namesText.Value, errors) as YamlSequenceNode;
        var list = Load(instancesCtx, instancesText.Value, errors) as YamlSequenceNode;
        var inits = kinds.TryGetValue("init_configs", out var initsText) ? Load(ctx, initsText.Value, errors) as YamlSequenceNode : null;
        if (names is null || list is null)
        {
            errors.Add($"{instancesCtx.At(1, 1)}: expected check_names and instances to be JSON lists");
            return;
        }

        for (int i = 0; i < names.Children.Count; i++)
        {
            if (names.Children[i] is not YamlScalarNode { Value: CheckName })
            {
                continue;
            }

            if (i >= list.Children.Count)
            {
                errors.Add($"{instancesCtx.At(1, 1)}: check_names[{i}] is falco but instances has no entry {i}");
                continue;
            }

            var check = new YamlMappingNode(
                new YamlScalarNode("init_config"), inits is not null && i < inits.Children.Count ? inits.Children[i] : new YamlMappingNode(),
                new YamlScalarNode("instances"), new YamlSequenceNode(list.Children[i]));
            TemplateVariables.Resolve(instancesCtx, check, pod, container, metricsPortFallback: false);
            Collect(instancesCtx, check, pod, container, instances, errors);
        }
    }

    /// <summary>
    /// Reads <c>{init_config, instances}</c> with conf.d's reader, its <c>ENC[handle]</c> values resolved by the
    /// agent's secret backend as conf.d's are (after the template variables), and tags what it made with the pod's metadata.
    /// </summary>
    private void Collect(ConfigReadContext ctx, YamlNode check, V1Pod pod, V1Container? container, List<InstanceConfig> instances, List<string> errors)
    {
        ResolveSecrets(ctx, check);
        var read = CheckConfigReader.Read(ctx, check);
        errors.AddRange(read.Errors.Select(e => e.ToString()));
        var tags = PodTags.For(pod, container, config);
        foreach (var instance in read.Instances)
        {
            instances.Add(instance with { Tags = [.. instance.Tags, .. tags] });
        }
    }

    /// <summary>Handles answered before are filled in from the cache; the others go to the backend, and its answers are kept.</summary>
    private void ResolveSecrets(ConfigReadContext ctx, YamlNode check)
    {
        lock (_secrets)
        {
            SecretReferences.Resolve(ctx, check, secrets, _secrets);
        }
    }

    private static YamlNode? Load(ConfigReadContext ctx, string text, List<string> errors)
    {
        int before = ctx.ErrorCount;
        if (YamlDocumentLoader.TryLoad(ctx, text, out var root) && root is not null)
        {
            return root;
        }

        if (ctx.ErrorCount == before)
        {
            ctx.Error(ctx.At(1, 1), string.Empty, "the annotation is empty");
        }

        errors.AddRange(ctx.ErrorsInFileOrder().Skip(before).Select(e => e.ToString()));
        return null;
    }

    /// <summary>The container serving metrics: the one with a port named "metrics", else "falco", else the first.</summary>
    private static V1Container? MetricsContainer(V1Pod pod)
    {
        var containers = pod.Spec?.Containers ?? [];
        return containers.FirstOrDefault(c => c.Ports?.Any(p => p.Name == "metrics") == true)
            ?? containers.FirstOrDefault(c => c.Name == CheckName)
            ?? containers.FirstOrDefault();
    }

    private static List<(string Container, string Kind, string Key, string Value)> FalcoAnnotations(IReadOnlyDictionary<string, string>? annotations)
    {
        var result = new List<(string, string, string, string)>();
        if (annotations is null)
        {
            return result;
        }

        foreach ((string key, string value) in annotations)
        {
            if (!key.StartsWith(AnnotationPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string rest = key[AnnotationPrefix.Length..];
            int dot = rest.LastIndexOf('.');
            string kind = dot < 0 ? string.Empty : rest[(dot + 1)..];
            if (dot <= 0 || kind is not ("checks" or "check_names" or "init_configs" or "instances"))
            {
                continue;
            }

            // Only annotations that name the falco check make the pod ours; other checks belong to the Agent.
            if ((kind is "checks" or "check_names") && !value.Contains("\"" + CheckName + "\"", StringComparison.Ordinal))
            {
                continue;
            }

            result.Add((rest[..dot], kind, key, value));
        }

        // The v1 companions count only beside a check_names that names falco.
        var owners = result.Where(a => a.Item2 is "checks" or "check_names").Select(a => a.Item1).ToHashSet(StringComparer.Ordinal);
        result.RemoveAll(a => !owners.Contains(a.Item1));
        return result;
    }

    /// <summary>What the instances depend on: address, readiness, annotations, labels, node, owner and container ids.</summary>
    private static string Fingerprint(V1Pod pod, List<(string Container, string Kind, string Key, string Value)> annotations)
    {
        var text = new StringBuilder(256);
        text.Append(pod.Status?.PodIP).Append('|').Append(pod.Spec?.NodeName).Append('|');
        foreach (var a in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append(a.Key).Append('=').Append(a.Value).Append('|');
        }

        foreach (var label in (pod.Metadata?.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append(label.Key).Append('=').Append(label.Value).Append('|');
        }

        foreach (var owner in pod.Metadata?.OwnerReferences ?? [])
        {
            text.Append(owner.Kind).Append('/').Append(owner.Name).Append('|');
        }

        foreach (var container in pod.Spec?.Containers ?? [])
        {
            text.Append(container.Name).Append(':');
            foreach (var port in container.Ports ?? [])
            {
                text.Append(port.Name).Append('=').Append(port.ContainerPort).Append(',');
            }

            text.Append('|');
        }

        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            text.Append(status.Name).Append('=').Append(status.ContainerID).Append('|');
        }

        return text.ToString();
    }
}
