namespace FalcoCheck.Discovery.Api;

/// <summary>meta/v1 OwnerReference: the DaemonSet that owns a Falco pod gives the <c>kube_daemon_set</c> tag.</summary>
internal sealed record V1OwnerReference
{
    public string? Kind { get; init; }

    public string? Name { get; init; }
}
