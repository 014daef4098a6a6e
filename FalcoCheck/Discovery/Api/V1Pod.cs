namespace FalcoCheck.Discovery.Api;

/// <summary>
/// A pod as the Kubernetes API serves it (core/v1 Pod), holding only the fields discovery reads; the JSON names are
/// the API's (camelCase through <see cref="KubernetesJsonContext"/>), unknown fields are skipped.
/// </summary>
internal sealed record V1Pod
{
    public V1ObjectMeta? Metadata { get; init; }

    public V1PodSpec? Spec { get; init; }

    public V1PodStatus? Status { get; init; }
}
