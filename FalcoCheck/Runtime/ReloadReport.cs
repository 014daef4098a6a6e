namespace FalcoCheck.Runtime;

/// <summary>One reload attempt: what asked for it, whether the new configuration was taken, and why not.</summary>
internal sealed record ReloadReport
{
    public required DateTimeOffset At { get; init; }

    /// <summary><c>SIGHUP</c> or <c>watch_config</c>.</summary>
    public required string Trigger { get; init; }

    public required bool Applied { get; init; }

    /// <summary>What changed (<c>2 kept, 1 added, 0 removed</c>), or why the new configuration was refused.</summary>
    public required string Summary { get; init; }

    /// <summary>The configuration errors that made the reload fail; empty when it was applied.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
