namespace FalcoCheck.Discovery.Api;

/// <summary>meta/v1 ObjectMeta: what discovery reads of a pod's metadata.</summary>
internal sealed record V1ObjectMeta
{
    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    /// <summary>RFC 3339 time; only whether it is set matters (a pod being deleted is not scraped).</summary>
    public string? DeletionTimestamp { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public IReadOnlyList<V1OwnerReference>? OwnerReferences { get; init; }
}
