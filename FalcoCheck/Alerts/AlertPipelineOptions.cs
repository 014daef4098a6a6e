using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Alerts;

/// <summary>Settings of <see cref="AlertPipeline"/> that are not in the config file: timing, and which inputs to start.</summary>
internal sealed record AlertPipelineOptions
{
    /// <summary>False for <c>alerts --stdin</c>: no receiver and no followed files, only the sinks.</summary>
    public bool ServeInputs { get; init; } = true;

    public FollowOptions Follow { get; init; } = new();

    public LogRetryOptions Retry { get; init; } = new();

    /// <summary>At stop, how long the sinks may keep delivering before the rest goes to the spool.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(5);
}
