namespace FalcoCheck.Discovery.Api;

/// <summary>core/v1 ContainerPort: <c>%%port_NAME%%</c> and the chart's port named "metrics".</summary>
internal sealed record V1ContainerPort
{
    public string? Name { get; init; }

    public int ContainerPort { get; init; }
}
