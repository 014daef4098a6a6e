namespace FalcoCheck.Sinks.Loki;

/// <summary>
/// The alert facts a stream may be labelled by: each has few values (rules, priorities, sources, hosts, namespaces),
/// never the output text or a per-event field, since every distinct label set is a Loki stream.
/// </summary>
internal enum LokiLabel
{
    Priority,
    Rule,
    Source,
    Hostname,
    K8sNsName,
}
