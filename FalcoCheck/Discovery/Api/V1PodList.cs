namespace FalcoCheck.Discovery.Api;

/// <summary>core/v1 PodList: the pods and the resourceVersion a watch goes on from.</summary>
internal sealed record V1PodList
{
    public V1ListMeta? Metadata { get; init; }

    public IReadOnlyList<V1Pod>? Items { get; init; }
}
