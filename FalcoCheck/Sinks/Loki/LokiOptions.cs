using FalcoCheck.Configuration;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Loki;

/// <summary>The Loki sink: the push endpoint with its auth and TLS, the tenant, the body and the stream labels.</summary>
internal sealed record LokiOptions
{
    public const string PushPath = "loki/api/v1/push";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Falcosidekick's labels (without <c>tags</c>, a list that multiplies streams).</summary>
    public static IReadOnlyList<LokiLabel> DefaultLabels { get; } = [LokiLabel.Priority, LokiLabel.Rule, LokiLabel.Source, LokiLabel.Hostname];

    /// <summary>The label names as written in the config and sent: the index is the <see cref="LokiLabel"/>.</summary>
    public static IReadOnlyList<string> LabelNames { get; } = ["priority", "rule", "source", "hostname", "k8s_ns_name"];

    /// <summary>The full push URL (<c>&lt;url&gt;/loki/api/v1/push</c>) with its authentication and TLS.</summary>
    public required HttpEndpointOptions Endpoint { get; init; }

    /// <summary>Sent as <c>X-Scope-OrgID</c> (multi-tenant Loki); none when null.</summary>
    public string? Tenant { get; init; }

    public LokiEncoding Encoding { get; init; } = LokiEncoding.Protobuf;

    /// <summary>The line: the alert's JSON document (default, for <c>| json</c>) or Falco's output text.</summary>
    public bool TextLines { get; init; }

    public IReadOnlyList<LokiLabel> Labels { get; init; } = DefaultLabels;

    /// <summary>Fixed labels on every stream (<c>job: falco</c>), after the alert's.</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
