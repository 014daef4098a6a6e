namespace FalcoCheck.Discovery.Api;

/// <summary>core/v1 PodCondition: discovery reads <c>Ready</c> = <c>"True"</c>.</summary>
internal sealed record V1PodCondition
{
    public string? Type { get; init; }

    /// <summary>"True", "False" or "Unknown" (a string in the API, not a boolean).</summary>
    public string? Status { get; init; }
}
