namespace FalcoCheck.Discovery;

/// <summary>Kubernetes discovery in <c>status</c>: is the API answering, what was found, what was refused.</summary>
internal sealed record DiscoveryReport
{
    public required bool Up { get; init; }

    /// <summary>"watching" when up, otherwise the last failure.</summary>
    public required string Message { get; init; }

    /// <summary>The API server (scheme, host, port).</summary>
    public required string Api { get; init; }

    /// <summary>The proxy the API is reached through, without user-info; null for a direct connection.</summary>
    public string? Proxy { get; init; }

    /// <summary>"node X" or "cluster", with the namespaces when limited.</summary>
    public required string Scope { get; init; }

    public DateTimeOffset? LastList { get; init; }

    /// <summary>Pods seen in the last list (every pod of the scope, Falco or not).</summary>
    public int PodsListed { get; init; }

    public required IReadOnlyList<string> Pods { get; init; }

    public int Instances { get; init; }

    /// <summary>Lists made: the first, after each 410 Gone, each resync and each recovery.</summary>
    public long Lists { get; init; }

    public long WatchEvents { get; init; }

    public required IReadOnlyList<string> Errors { get; init; }
}
