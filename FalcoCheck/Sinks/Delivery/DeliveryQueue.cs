using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// The one delivery path of every sink, metrics and alert logs alike (OpenTelemetry's exporterhelper, Vector's sink
/// service): a bounded in-memory queue of batches and one worker that hands them, oldest first, to the backend's
/// <see cref="IBatchSender{TBatch}"/>. A full queue moves its oldest batches to the disk spool
/// (<see cref="DiskSpool"/>, when configured), which the worker replays first, in order, once the backend takes data
/// again; what fits neither is dropped and counted. Retrying is here and only here: a transient failure is retried
/// up to <see cref="DeliveryOptions.MaxRetries"/> times (Polly: exponential backoff with jitter, Retry-After
/// honoured), then the batch keeps its place at the head and the round starts again after a pause.
/// </summary>
internal sealed partial class DeliveryQueue<TBatch> : IAsyncDisposable where TBatch : QueuedBatch, ISpooledBatch<TBatch>
{
    /// <summary>Items of waiting batches merged into one delivery: Falco's full page is about 100, so about 100 runs.</summary>
    private const int MergeItems = 10_000;

    /// <summary>A server's Retry-After is honoured up to this, so a bad header cannot stall delivery for days.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    private readonly IBatchSender<TBatch> _sender;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<SendAttempt> _retry;
    private readonly Lock _lock = new();
    private readonly LinkedList<TBatch> _waiting = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _worker;
    private TBatch? _current;
    private int _waitingItems;
    private bool _closed;
    private int _disposed;
    private long _received;
    private long _sent;
    private long _retried;
    private long _retriesOfOutage;
    private long _dropped;
    private long _rejectedRequests;
    private string? _lastError;
    private string? _lastDropReason;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastSuccess;

    /// <param name="spoolFolder">Where this queue's disk spool lives, opened on first need; null (or a zero spool size) for none.</param>
    /// <param name="startAfter">Delivery starts once this completes: a replaced sink drains before its successor sends.</param>
    /// <param name="spool">A spool the caller opened already (so a spool held by another process fails the start).</param>
    public DeliveryQueue(IBatchSender<TBatch> sender, DeliveryOptions options, TimeProvider clock, string? spoolFolder = null,
        ILogger? logger = null, Task? startAfter = null, DiskSpool? spool = null)
    {
        _sender = sender;
        _options = options;
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
        _spool = spool;
        _spoolFolder = options.SpoolMaxBytes > 0 ? spoolFolder : null;
        _retry = BuildRetry(options, clock);
        _worker = Task.Run(() => WorkAsync(startAfter ?? Task.CompletedTask));
    }

    public string Name => _sender.Name;

    public DeliveryOptions Options => _options;

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
                LastDropReason = _lastDropReason,
            };
        }
    }

    /// <summary>The last failure of the backend, until it takes data again.</summary>
    public string? LastError => _lastError;

    /// <summary>When the backend last failed (kept after it recovers, for <c>status</c>).</summary>
    public DateTimeOffset? LastErrorAt => _lastErrorAt;

    public DateTimeOffset? LastSuccess => _lastSuccess;

    /// <summary>Requests the backend refused for good (their items are in <see cref="SinkCounts.Dropped"/>).</summary>
    public long RejectedRequests => Interlocked.Read(ref _rejectedRequests);

    /// <summary>
    /// The reserve step of a producer that must not lose what it hands over (the alert intake): true when
    /// <paramref name="batch"/> would fit memory, or what <see cref="Enqueue"/> would then move to the spool fits
    /// there. Call it, and <see cref="Enqueue"/>, under the producer's own lock, so a check holds until the enqueue.
    /// </summary>
    public bool HasRoomFor(TBatch batch)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            int items = _waitingItems + (_current?.Remaining ?? 0) + batch.Total;
            int waiting = _waiting.Count + 1;
            long spill = 0;
            for (var node = _waiting.First; items > _options.QueueSize && waiting > 1; node = node?.Next)
            {
                // The waiting batches oldest first, then the new one (MakeRoom's order).
                TBatch oldest = node?.Value ?? batch;
                spill += TBatch.SpoolBytes(oldest);
                items -= oldest.Remaining;
                waiting--;
            }

            if (spill == 0)
            {
                return true;
            }

            if (_current is { } current && _currentRecord is null && SpoolReady() && _spool!.IsEmpty)
            {
                spill += TBatch.SpoolBytes(current);
            }

            return SpoolReady() && _spool!.HasRoom(spill);
        }
    }

    /// <summary>Queues the batch without waiting; when the queue is full its oldest batches go to the spool or are dropped.</summary>
    public void Enqueue(TBatch batch)
    {
        Interlocked.Add(ref _received, batch.Total);
        if (batch.Total == 0)
        {
            batch.Complete();
            return;
        }

        lock (_lock)
        {
            if (_closed)
            {
                Interlocked.Add(ref _dropped, batch.DropRest("the sink is shut down"));
                return;
            }

            _waiting.AddLast(batch);
            _waitingItems += batch.Total;
            MakeRoom();
        }

        _signal.Release();
    }

    /// <summary>Queues the batch and waits for its delivery at most <see cref="DeliveryOptions.FlushTimeout"/>.</summary>
    public async Task<SendResult> SendAsync(TBatch batch, CancellationToken cancellationToken)
    {
        Enqueue(batch);
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

    /// <inheritdoc cref="DrainAsync"/>
    public ValueTask DisposeAsync() => DrainAsync(CancellationToken.None);

    /// <summary>
    /// Delivers what is queued (memory and spool) within <see cref="DeliveryOptions.FlushTimeout"/> or until
    /// <paramref name="deadline"/>; what is left goes to the spool for the next start, or, without one, is dropped
    /// and counted. Then the sender is disposed.
    /// </summary>
    public async ValueTask DrainAsync(CancellationToken deadline)
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
            await _drained.Task.WaitAsync(_options.FlushTimeout, _clock, deadline).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
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

        if (_spool is { IsEmpty: false } spool)
        {
            DeliveryLog.LeftInSpool(_logger, Name, spool.Bytes);
        }

        _spool?.Dispose();
        _sender.Dispose();
        _signal.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync(Task startAfter)
    {
        var stopping = _stop.Token;
        try
        {
            await startAfter.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The predecessor's trouble is its own; this queue starts anyway.
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stopping.IsCancellationRequested)
        {
            TBatch? batch;
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
}
