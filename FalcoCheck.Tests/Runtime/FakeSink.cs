using FalcoCheck.Sinks;

namespace FalcoCheck.Tests.Runtime;

/// <summary>A sink a test controls: records what it got, can be held (a stalled backend) or made to fail.</summary>
internal sealed class FakeSink(string name = "fake") : IMetricSink
{
    private readonly List<Submission> _received = [];
    private TaskCompletionSource _gate = CompletedGate();

    public string Name => name;

    public string? FailWith { get; set; }

    public bool Disposed { get; private set; }

    public IReadOnlyList<Submission> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Sends wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public async Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        lock (_received)
        {
            _received.Add(submission);
        }

        return FailWith is { } error ? SendResult.Failed(error) : SendResult.Ok(submission.Metrics.Count + submission.ServiceChecks.Count);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource CompletedGate()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
