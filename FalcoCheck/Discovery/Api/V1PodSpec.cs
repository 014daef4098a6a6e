namespace FalcoCheck.Discovery.Api;

/// <summary>core/v1 PodSpec: the node and the containers (their names and ports).</summary>
internal sealed record V1PodSpec
{
    public string? NodeName { get; init; }

    public IReadOnlyList<V1Container>? Containers { get; init; }
}
