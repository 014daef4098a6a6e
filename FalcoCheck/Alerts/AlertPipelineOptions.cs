using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Alerts;

/// <summary>Settings of <see cref="AlertPipeline"/> that are not in the config file: timing, and which inputs to start.</summary>
internal sealed record AlertPipelineOptions
{
    /// <summary>False for <c>alerts --stdin</c>: no receiver and no followed files, only the sinks.</summary>
    public bool ServeInputs { get; init; } = true;

    public FollowOptions Follow { get; init; } = new();

    /// <summary>
    /// Retry timing of the log sinks' queues (queue size and spool come from the config, the drain below is their
    /// flush timeout). A log sink keeps retrying for as long as it takes: the queue and spool hold what arrives.
    /// </summary>
    public DeliveryOptions Delivery { get; init; } = new() { RetryMaxBackoff = TimeSpan.FromSeconds(60) };

    /// <summary>At stop, how long the sinks may keep delivering before the rest goes to the spool.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(5);
}
