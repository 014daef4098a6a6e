using FalcoCheck.Sinks;

namespace FalcoCheck.Runtime;

/// <summary>
/// The daemon's metrics sinks as one <see cref="IMetricSink"/>, for what runs beside the instances in the same
/// process (the alert pipeline's <c>falco.alerts.count</c>): submissions join the daemon's sink queues, so they
/// follow reloads of <c>sinks</c> and are flushed on shutdown with everything else.
/// </summary>
internal sealed class DaemonMetricSink(Daemon daemon) : IMetricSink
{
    public string Name => "falcocheck run sinks";

    public Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken) =>
        Task.FromResult(daemon.Submit(submission)
            ? SendResult.Ok(submission.Metrics.Count + submission.ServiceChecks.Count)
            : SendResult.Failed("the daemon has not started its sinks"));

    /// <summary>The daemon owns the sinks and flushes them itself.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
