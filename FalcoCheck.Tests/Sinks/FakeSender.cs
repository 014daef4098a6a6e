using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Tests.Sinks;

/// <summary>A scripted backend for <see cref="QueuedSink"/>: answers from a queue (then Sent), records the points it took.</summary>
internal sealed class FakeSender(int itemsPerRequest = int.MaxValue) : IBatchSender<Batch>
{
    private readonly Queue<DeliveryOutcome> _answers = new();
    private readonly Lock _lock = new();

    public string Name => "fake";


    public List<MetricPoint> Received { get; } = [];

    public int Requests { get; private set; }

    /// <summary>The Falco version of each request's batch, in order.</summary>
    public List<string?> Versions { get; } = [];

    /// <summary>Completed when the first request reaches the sender (before <see cref="Gate"/>): a batch is in delivery.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed to let requests through; until then the sender waits (a slow or hung backend).</summary>
    public TaskCompletionSource Gate { get; set; } = CompletedGate();

    public void Answer(params DeliveryOutcome[] answers)
    {
        lock (_lock)
        {
            foreach (var answer in answers)
            {
                _answers.Enqueue(answer);
            }
        }
    }

    public async Task<SendAttempt> SendAsync(Batch batch, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        await Gate.Task.WaitAsync(cancellationToken);
        int points = Math.Min(Math.Min(batch.RemainingPoints.Length, itemsPerRequest), batch.MaxItemsPerRequest);
        int checks = points == 0 ? batch.RemainingChecks.Length : 0;
        DeliveryOutcome outcome;
        lock (_lock)
        {
            Requests++;
            Versions.Add(batch.FalcoVersion);
            outcome = _answers.Count > 0 ? _answers.Dequeue() : DeliveryOutcome.Sent;
            if (outcome.Status == DeliveryStatus.Sent)
            {
                Received.AddRange(batch.RemainingPoints.Span[..points].ToArray());
            }
        }

        return new SendAttempt(outcome, points, checks);
    }

    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
