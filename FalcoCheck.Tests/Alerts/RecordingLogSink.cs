using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Tests.Alerts;

/// <summary>An in-memory log sink: keeps what it is sent, and answers with <see cref="Answer"/> (sent by default).</summary>
internal sealed class RecordingLogSink : IBatchSender<LogBatch>
{
    private readonly Lock _gate = new();
    private readonly List<byte[]> _entries = [];

    public string Name => "recording";

    public int MaxBatchEntries { get; init; } = 1000;

    public long MaxBatchBytes { get; init; } = 4 * 1024 * 1024;

    public Func<DeliveryOutcome> Answer { get; set; } = () => DeliveryOutcome.Sent;

    public int Calls { get; private set; }

    public List<byte[]> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public Task<SendAttempt> SendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls++;
            int count = Math.Max(1, batch.Fitting(MaxBatchEntries, MaxBatchBytes));
            DeliveryOutcome result = Answer();
            if (result.Status == DeliveryStatus.Sent)
            {
                _entries.AddRange(batch.RemainingEntries.Span[..count]);
            }

            return Task.FromResult(SendAttempt.Of(result, count));
        }
    }

    public void Dispose()
    {
    }
}
