using System.Text.Json.Serialization;

namespace FalcoCheck.Discovery.Api;

/// <summary>core/v1 ContainerStatus: the <c>container_id</c> tag.</summary>
internal sealed record V1ContainerStatus
{
    public string? Name { get; init; }

    /// <summary>"containerd://…"; named explicitly, as <see cref="V1PodStatus.PodIP"/>.</summary>
    [JsonPropertyName("containerID")]
    public string? ContainerID { get; init; }
}
