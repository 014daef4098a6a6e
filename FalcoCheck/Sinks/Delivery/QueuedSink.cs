using System.Globalization;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// A network sink: a bounded in-memory queue of submissions and one worker that hands them, oldest first, to the
/// backend's <see cref="IBatchSender"/> (OpenTelemetry's BatchExportProcessor shape). A full queue drops its oldest
/// batches; a backend that keeps failing keeps its batch at the head and is tried again after a pause. Counts
/// received, sent, retried and dropped items. <see cref="SendAsync"/> waits for its own submission at most
/// <see cref="DeliveryOptions.FlushTimeout"/>, so a dead backend never holds up the scrape or the other sinks.
/// </summary>
internal sealed class QueuedSink : IMetricSink
{
    private readonly IBatchSender _sender;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly LinkedList<Batch> _waiting = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
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

    public QueuedSink(IBatchSender sender, DeliveryOptions options, TimeProvider clock)
    {
        _sender = sender;
        _options = options;
        _clock = clock;
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

            return new SinkCounts(Interlocked.Read(ref _received), Interlocked.Read(ref _sent), Interlocked.Read(ref _retried), Interlocked.Read(ref _dropped), queued);
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
            DropOldestWhileFull();
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

    /// <summary>Flushes what is queued within <see cref="DeliveryOptions.FlushTimeout"/>, then drops and counts the rest.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Task[] pending;
        lock (_lock)
        {
            _closed = true;
            pending = [.. _waiting.Select(b => (Task)b.Completion.Task), .. _current is null ? [] : new[] { (Task)_current.Completion.Task }];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(_options.FlushTimeout, _clock).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The grace period is over: what is left is dropped below, and counted.
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
            foreach (var batch in _current is null ? _waiting : _waiting.Prepend(_current))
            {
                Interlocked.Add(ref _dropped, batch.DropRest("shut down before the backend took it: " + (_lastError ?? "flush_timeout reached")));
            }

            _waiting.Clear();
            _waitingItems = 0;
            _current = null;
        }

        _sender.Dispose();
        _signal.Dispose();
        _stop.Dispose();
    }

    /// <summary>Keeps the queue within its size by dropping whole batches, oldest first; the newest is always kept.</summary>
    private void DropOldestWhileFull()
    {
        while (_waiting.Count > 1 && _waitingItems + (_current?.Remaining ?? 0) > _options.QueueSize)
        {
            var oldest = _waiting.First!.Value;
            _waiting.RemoveFirst();
            _waitingItems -= oldest.Remaining;
            Interlocked.Add(ref _dropped, oldest.DropRest(string.Create(CultureInfo.InvariantCulture,
                $"queue full ({_options.QueueSize} items) while the backend was failing ({_lastError ?? "busy"}); oldest batch dropped")));
        }
    }

    private async Task WorkAsync()
    {
        var stopping = _stop.Token;
        while (!stopping.IsCancellationRequested)
        {
            Batch? batch;
            lock (_lock)
            {
                if (_current is null && _waiting.First?.Value is { } first)
                {
                    _waiting.RemoveFirst();
                    _waitingItems -= first.Remaining;
                    _current = first;
                }

                batch = _current;
            }

            if (batch is null)
            {
                await _signal.WaitAsync(stopping).ConfigureAwait(false);
                continue;
            }

            await DeliverAsync(batch, stopping).ConfigureAwait(false);
            if (batch.Remaining == 0)
            {
                batch.Complete();
                lock (_lock)
                {
                    _current = null;
                }
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
    }
}
