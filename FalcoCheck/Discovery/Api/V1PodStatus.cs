using System.Text.Json.Serialization;

namespace FalcoCheck.Discovery.Api;

/// <summary>core/v1 PodStatus: phase, IP and Ready condition decide whether a pod is scraped.</summary>
internal sealed record V1PodStatus
{
    public string? Phase { get; init; }

    /// <summary>Named explicitly: the API's "podIP" must not hang on how the naming policy treats a trailing acronym.</summary>
    [JsonPropertyName("podIP")]
    public string? PodIP { get; init; }

    public IReadOnlyList<V1PodCondition>? Conditions { get; init; }

    public IReadOnlyList<V1ContainerStatus>? ContainerStatuses { get; init; }
}
