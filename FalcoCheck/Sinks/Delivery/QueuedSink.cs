using System.Globalization;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A network sink: a bounded in-memory queue of submissions and one worker that hands them, oldest first, to the
/// backend's <see cref="IBatchSender"/> (OpenTelemetry's BatchExportProcessor shape). A full queue moves its oldest
/// batches to the disk spool (<see cref="DiskSpool"/>, when configured), which the worker replays first, in order,
/// once the backend takes data again; what fits neither is dropped and counted. A backend that keeps failing keeps
/// its batch at the head and is tried again after a pause. <see cref="SendAsync"/> waits for its own submission at
/// most <see cref="DeliveryOptions.FlushTimeout"/>, so a dead backend never holds up the scrape or the other sinks.
/// </summary>
internal sealed partial class QueuedSink : IMetricSink
{
    private readonly IBatchSender _sender;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly LinkedList<Batch> _waiting = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _worker;
    private Batch? _current;
    private int _waitingItems;
    private bool _closed;
    private int _disposed;
    private long _received;
    private long _sent;
    private long _retried;
    private long _dropped;
    private string? _lastError;

    /// <param name="spoolFolder">Where this sink's disk spool lives; null (or a zero spool size) for none.</param>
    public QueuedSink(IBatchSender sender, DeliveryOptions options, TimeProvider clock, string? spoolFolder = null)
    {
        _sender = sender;
        _options = options;
        _clock = clock;
        _spoolFolder = options.SpoolMaxBytes > 0 ? spoolFolder : null;
        _worker = Task.Run(WorkAsync);
    }

    public string Name => _sender.Name;

    public SinkCounts Counts
    {
        get
        {
            int queued;
            lock (_lock)
            {
                queued = _waitingItems + (_current?.Remaining ?? 0);
            }

            return new SinkCounts(Interlocked.Read(ref _received), Interlocked.Read(ref _sent), Interlocked.Read(ref _retried), Interlocked.Read(ref _dropped), queued)
            {
                Spooled = Interlocked.Read(ref _spooled),
                SpoolBytes = SpoolBytes,
            };
        }
    }

    public async Task<SendResult> SendAsync(Submission submission, CancellationToken cancellationToken)
    {
        var batch = new Batch(submission, _sender.SendsEvents);
        Interlocked.Add(ref _received, batch.Total);
        if (batch.Total == 0)
        {
            return SendResult.Ok(0);
        }

        lock (_lock)
        {
            if (_closed)
            {
                Interlocked.Add(ref _dropped, batch.DropRest("the sink is shut down"));
                return batch.Completion.Task.Result;
            }

            _waiting.AddLast(batch);
            _waitingItems += batch.Total;
            MakeRoom();
        }

        _signal.Release();
        try
        {
            return await batch.Completion.Task.WaitAsync(_options.FlushTimeout, _clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return SendResult.Failed(string.Create(CultureInfo.InvariantCulture,
                $"not delivered within {_options.FlushTimeout.TotalSeconds:0.###} s; {batch.Remaining} item(s) stay queued for retry (last error: {_lastError ?? "none yet"})"));
        }
        catch (OperationCanceledException)
        {
            return SendResult.Failed($"cancelled; {batch.Remaining} item(s) stay queued for retry");
        }
    }

    /// <summary>
    /// Delivers what is queued (memory and spool) within <see cref="DeliveryOptions.FlushTimeout"/>; what is left goes
    /// to the spool for the next start, or, without one, is dropped and counted.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_lock)
        {
            _closed = true;
        }

        _signal.Release();
        try
        {
            await _drained.Task.WaitAsync(_options.FlushTimeout, _clock).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The grace period is over: what is left is spooled or dropped below.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_lock)
        {
            KeepForNextStart();
        }

        _spool?.Dispose();
        _sender.Dispose();
        _signal.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        var stopping = _stop.Token;
        while (!stopping.IsCancellationRequested)
        {
            Batch? batch;
            lock (_lock)
            {
                if (_current is null)
                {
                    TakeNext();
                }

                batch = _current;
                if (batch is null && _closed)
                {
                    _drained.TrySetResult();
                }
            }

            if (batch is null)
            {
                await _signal.WaitAsync(stopping).ConfigureAwait(false);
                continue;
            }

            await DeliverAsync(batch, stopping).ConfigureAwait(false);
            if (batch.Remaining == 0)
            {
                lock (_lock)
                {
                    FinishCurrent();
                }

                batch.Complete();
            }
        }
    }

    /// <summary>Sends the batch request by request until it is all taken, or the backend needs a pause.</summary>
    private async Task DeliverAsync(Batch batch, CancellationToken stopping)
    {
        while (batch.Remaining > 0 && !stopping.IsCancellationRequested)
        {
            long retriesBefore = _sender.Retries;
            var attempt = await _sender.SendAsync(batch, stopping).ConfigureAwait(false);
            Interlocked.Add(ref _retried, (_sender.Retries - retriesBefore) * attempt.Items);
            var outcome = attempt.Outcome;
            switch (outcome.Status)
            {
                case DeliveryStatus.Sent:
                    batch.Advance(attempt.Points, attempt.Checks, sent: true, attempt.Events);
                    Interlocked.Add(ref _sent, attempt.Items);
                    _lastError = null;
                    SaveProgress(batch);
                    if (attempt.Items == 0)
                    {
                        // A sender that takes nothing would spin; drop one item rather than loop.
                        Reject(batch, attempt, "the sender took no item");
                    }

                    break;
                case DeliveryStatus.Split when attempt.Items > 1:
                    batch.MaxItemsPerRequest = attempt.Items / 2;
                    break;
                case DeliveryStatus.Split or DeliveryStatus.Rejected:
                    Reject(batch, attempt, outcome.Reason ?? "rejected");
                    break;
                default:
                    _lastError = outcome.Reason;
                    var pause = outcome.RetryAfter is { } asked && asked > _options.RetryMaxBackoff ? asked : _options.RetryMaxBackoff;
                    await Task.Delay(pause, _clock, stopping).ConfigureAwait(false);
                    return;
            }
        }
    }

    /// <summary>Drops the items of a request the backend refused (at least one, so the queue always moves).</summary>
    private void Reject(Batch batch, SendAttempt attempt, string reason)
    {
        _lastError = reason;
        batch.Error = reason;
        var (points, checks, events) = attempt.Items > 0 ? (attempt.Points, attempt.Checks, attempt.Events)
            : batch.RemainingPoints.Length > 0 ? (1, 0, 0)
            : batch.RemainingChecks.Length > 0 ? (0, 1, 0) : (0, 0, 1);
        batch.Advance(points, checks, sent: false, events);
        Interlocked.Add(ref _dropped, points + checks + events);
        SaveProgress(batch);
    }
}
