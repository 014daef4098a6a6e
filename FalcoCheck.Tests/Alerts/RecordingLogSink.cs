using FalcoCheck.Sinks.Delivery;
using FalcoCheck.Sinks.Logs;

namespace FalcoCheck.Tests.Alerts;

/// <summary>An in-memory log sink: keeps what it is sent, and answers with <see cref="Answer"/> (sent by default).</summary>
internal sealed class RecordingLogSink : ILogSink
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

    public Task<DeliveryOutcome> SendAsync(IReadOnlyList<byte[]> entries, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls++;
            DeliveryOutcome result = Answer();
            if (result.Status == DeliveryStatus.Sent)
            {
                _entries.AddRange(entries);
            }

            return Task.FromResult(result);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
