using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FalcoCheck.Configuration;
using FalcoCheck.Discovery.Api;
using YamlDotNet.RepresentationModel;

namespace FalcoCheck.Discovery;

/// <summary>
/// Resolves the Datadog Autodiscovery template variables of a pod in every string of a check config
/// (https://docs.datadoghq.com/containers/guide/template_variables/): <c>%%host%%</c>, <c>%%port%%</c>,
/// <c>%%port_NAME%%</c>, <c>%%kube_namespace%%</c>, <c>%%kube_pod_name%%</c>, <c>%%kube_pod_uid%%</c>.
/// <c>%%env_NAME%%</c> is left for the config readers, which resolve it as in conf.d.
/// </summary>
internal static partial class TemplateVariables
{
    /// <summary>Falco's default metrics port (falco.yaml <c>webserver.listen_port</c>).</summary>
    public const int FalcoMetricsPort = 8765;

    private const string Known = "%%host%%, %%port%%, %%port_<name>%%, %%kube_namespace%%, %%kube_pod_name%%, %%kube_pod_uid%%, %%env_NAME%%";

    /// <summary>
    /// Replaces the variables in place. <paramref name="metricsPortFallback"/>: <c>%%port_metrics%%</c> without a
    /// port named "metrics" is Falco's 8765 (the auto_conf template), instead of an error.
    /// </summary>
    public static void Resolve(ConfigReadContext ctx, YamlNode node, V1Pod pod, V1Container? container, bool metricsPortFallback)
    {
        switch (node)
        {
            case YamlScalarNode scalar when scalar.Value is { } text && text.Contains("%%", StringComparison.Ordinal):
                scalar.Value = Replace(ctx, scalar, text, pod, container, metricsPortFallback);
                break;
            case YamlMappingNode mapping:
                foreach (YamlNode value in mapping.Children.Values)
                {
                    Resolve(ctx, value, pod, container, metricsPortFallback);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (YamlNode item in sequence.Children)
                {
                    Resolve(ctx, item, pod, container, metricsPortFallback);
                }

                break;
        }
    }

    /// <summary>
    /// An unresolved variable is left for the reader that reads the value to report (as an unresolved secret is), so
    /// the error carries that setting's path, comes once, and drops the instance holding it.
    /// </summary>
    private static string Replace(ConfigReadContext ctx, YamlScalarNode node, string text, V1Pod pod, V1Container? container, bool metricsPortFallback)
    {
        var result = new StringBuilder(text.Length);
        var problems = new List<string>();
        int last = 0;
        foreach (Match match in Reference().Matches(text))
        {
            string name = match.Groups[1].Value;
            string? problem = null;
            string? value = name.StartsWith("env_", StringComparison.Ordinal) ? match.Value : ValueOf(name, pod, container, metricsPortFallback, out problem);
            if (value is null)
            {
                problems.Add(problem ?? $"unknown template variable '%%{name}%%'; FalcoCheck resolves {Known}");
                continue;
            }

            result.Append(text, last, match.Index - last).Append(value);
            last = match.Index + match.Length;
        }

        if (problems.Count > 0)
        {
            ctx.UnresolvedSecrets[node] = string.Join("; ", problems);
        }

        return result.Append(text, last, text.Length - last).ToString();
    }

    private static string? ValueOf(string name, V1Pod pod, V1Container? container, bool metricsPortFallback, out string? problem)
    {
        problem = null;
        switch (name)
        {
            case "host":
                return pod.Status?.PodIP is { Length: > 0 } ip ? HostOf(ip) : Missing(out problem, "the pod has no IP address yet");
            case "port":
                int highest = Ports(pod, container).Select(p => p.ContainerPort).DefaultIfEmpty(0).Max();
                return highest > 0 ? Text(highest) : Missing(out problem, $"'%%port%%': container '{container?.Name}' declares no port");
            case "kube_namespace":
                return pod.Metadata?.Namespace;
            case "kube_pod_name":
                return pod.Metadata?.Name;
            case "kube_pod_uid":
                return pod.Metadata?.Uid;
        }

        if (name.StartsWith("port_", StringComparison.Ordinal))
        {
            string portName = name["port_".Length..];
            if (Ports(pod, container).FirstOrDefault(p => p.Name == portName) is { } port)
            {
                return Text(port.ContainerPort);
            }

            return metricsPortFallback && portName == "metrics"
                ? Text(FalcoMetricsPort)
                : Missing(out problem, $"'%%{name}%%': no container port named '{portName}' in the pod");
        }

        return null;
    }

    /// <summary>The container's own ports first, then the pod's other containers' (as a port name is pod-wide).</summary>
    private static IEnumerable<V1ContainerPort> Ports(V1Pod pod, V1Container? container)
    {
        IEnumerable<V1ContainerPort> own = container?.Ports ?? [];
        var others = (pod.Spec?.Containers ?? []).Where(c => !ReferenceEquals(c, container)).SelectMany(c => c.Ports ?? []);
        return own.Concat(others);
    }

    /// <summary>An IPv6 pod address goes in brackets, so that "http://%%host%%:8765" stays a URL.</summary>
    private static string HostOf(string ip) => ip.Contains(':', StringComparison.Ordinal) ? "[" + ip + "]" : ip;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Missing(out string? problem, string message)
    {
        problem = message;
        return null;
    }

    /// <summary>The port names <paramref name="text"/> refers to as <c>%%port_NAME%%</c>.</summary>
    public static IEnumerable<string> PortNames(string text)
    {
        foreach (Match match in Reference().Matches(text))
        {
            if (match.Groups[1].Value.StartsWith("port_", StringComparison.Ordinal))
            {
                yield return match.Groups[1].Value["port_".Length..];
            }
        }
    }

    [GeneratedRegex("%%([A-Za-z0-9_.-]+)%%", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
