namespace FalcoCheck.Runtime;

/// <summary>
/// What <c>falcocheck run</c> serves at <c>/status</c> and <c>falcocheck status</c> prints: the daemon, its
/// configuration, every instance and every sink. JSON names are snake_case (<see cref="StatusJsonContext"/>).
/// </summary>
internal sealed record StatusReport
{
    public required string Version { get; init; }

    public required int Pid { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The daemon's clock when the report was made: "3 s ago" is computed against this, not the reader's clock.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Resident memory of the process (Environment.WorkingSet), bytes.</summary>
    public long WorkingSetBytes { get; init; }

    /// <summary>Bytes in use on the managed heap after the last collection (GC.GetGCMemoryInfo).</summary>
    public long GcHeapBytes { get; init; }

    public required string AgentConfig { get; init; }

    public required string CheckConfig { get; init; }

    /// <summary>Errors of the configuration in use: instances that were left out.</summary>
    public required IReadOnlyList<string> ConfigErrors { get; init; }

    /// <summary>The last reload attempt, or null when none was made.</summary>
    public ReloadReport? LastReload { get; init; }

    public required IReadOnlyList<InstanceReport> Instances { get; init; }

    public required IReadOnlyList<SinkReport> Sinks { get; init; }

    /// <summary>Kubernetes discovery, when <c>kubernetes.enabled</c> is on.</summary>
    public Discovery.DiscoveryReport? Kubernetes { get; init; }
}
