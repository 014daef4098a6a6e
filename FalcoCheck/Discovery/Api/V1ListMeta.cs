namespace FalcoCheck.Discovery.Api;

/// <summary>meta/v1 ListMeta: the list's resourceVersion.</summary>
internal sealed record V1ListMeta
{
    public string? ResourceVersion { get; init; }
}
