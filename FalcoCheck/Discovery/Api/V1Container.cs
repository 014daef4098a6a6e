namespace FalcoCheck.Discovery.Api;

/// <summary>core/v1 Container: its name (annotations are per container) and its ports.</summary>
internal sealed record V1Container
{
    public string? Name { get; init; }

    public IReadOnlyList<V1ContainerPort>? Ports { get; init; }
}
