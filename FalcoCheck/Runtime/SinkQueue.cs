using System.Threading.Channels;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// The daemon's hand-off to one sink: a bounded queue and one sender, so a slow or failing backend never holds up
/// a scrape or the other sinks (CONVENTIONS 12). When the queue is full the oldest submission is dropped and
/// counted. The sink keeps its own delivery policy (batching, retries, spool); this queue only decouples.
/// </summary>
internal sealed class SinkQueue
{
    /// <summary>
    /// Sends in flight at once. A network sink takes a submission into its own delivery queue before its send
    /// awaits the delivery, so overlapping sends keep their order there, and a backend 100 ms away still takes
    /// hundreds of submissions a second (a thousand instances every 15 s make about 67).
    /// </summary>
    public const int MaxInFlight = 64;

    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly IMetricSink _sink;
    private readonly Channel<Submission> _channel;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _pump;
    private long _sent;
    private long _dropped;
    private long _droppedReported;
    private long _failed;
    private long _queuedPoints;
    private bool _failing;
    private DateTimeOffset? _lastSuccess;
    private (string Message, DateTimeOffset At)? _lastError;

    /// <param name="startAfter">Sending starts once this completes: a replaced sink set drains before its successor sends.</param>
    public SinkQueue(IMetricSink sink, int capacity, ILogger logger, TimeProvider clock, Task startAfter)
    {
        _sink = sink;
        _logger = logger;
        _clock = clock;
        Capacity = capacity;
        _channel = Channel.CreateBounded<Submission>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                Interlocked.Add(ref _dropped, Points(dropped));
                Interlocked.Add(ref _queuedPoints, -Points(dropped));
            });
        _pump = Task.Run(() => PumpAsync(startAfter));
    }

    public string Name => _sink.Name;

    public int Capacity { get; }

    public int Count => _channel.Reader.Count;

    /// <summary>
    /// Series and service checks waiting for this sink: in the daemon's queue, plus in the sink's own queue for
    /// sinks that keep one (the network sinks' delivery queue).
    /// </summary>
    public long QueuedItems => Interlocked.Read(ref _queuedPoints) + _sink.Counts.Queued;

    /// <summary>Bytes in the sink's disk spool (network sinks with a spool; 0 for the others).</summary>
    public long SpoolBytes => _sink.Counts.SpoolBytes;

    /// <summary>Items lost on the way: dropped by the daemon's queue and by the sink's own.</summary>
    public long DroppedItems => Interlocked.Read(ref _dropped) + _sink.Counts.Dropped;

    /// <summary>Never waits: a full queue drops its oldest submission.</summary>
    public void Enqueue(Submission submission)
    {
        Interlocked.Add(ref _queuedPoints, Points(submission));
        if (!_channel.Writer.TryWrite(submission))
        {
            // Completed (shutting down): nothing more will be sent.
            Interlocked.Add(ref _dropped, Points(submission));
            Interlocked.Add(ref _queuedPoints, -Points(submission));
        }
    }

    /// <summary>Points dropped since the previous call, for <c>falco.check.sink.dropped</c> and one log line per report.</summary>
    public long TakeDropped()
    {
        long total = DroppedItems;
        long since = total - Interlocked.Exchange(ref _droppedReported, total);
        if (since > 0)
        {
            SinkQueueLog.Dropped(_logger, Name, Capacity, since, _lastError?.Message ?? "none");
        }

        return since;
    }

    public SinkReport Report()
    {
        var counts = _sink.Counts;
        lock (_channel)
        {
            return new SinkReport
            {
                Name = Name,
                Queue = Count,
                QueueCapacity = Capacity,
                // A sink that counts its own delivery knows better than its SendResults what reached the backend.
                Sent = counts.Received > 0 ? counts.Sent : _sent,
                Dropped = Interlocked.Read(ref _dropped) + counts.Dropped,
                SinkQueued = counts.Queued,
                Spooled = counts.Spooled,
                SpoolBytes = counts.SpoolBytes,
                Retried = counts.Retried,
                Failed = _failed,
                LastSuccess = _lastSuccess,
                LastError = _lastError?.Message,
                LastErrorAt = _lastError?.At,
            };
        }
    }

    /// <summary>
    /// Sends what is queued, then disposes the sink. When <paramref name="deadline"/> fires first the send in
    /// progress is cancelled and the rest is counted as dropped.
    /// </summary>
    public async Task DrainAsync(CancellationToken deadline)
    {
        _channel.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            SinkQueueLog.NotFlushed(_logger, Name, Count);
            await _abort.CancelAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
        }

        await _sink.DisposeAsync().ConfigureAwait(false);
        _abort.Dispose();
        _inFlight.Dispose();
    }

    private async Task PumpAsync(Task startAfter)
    {
        try
        {
            await startAfter.WaitAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The predecessor's trouble is its own; this sink starts anyway.
        }
        catch (OperationCanceledException)
        {
        }

        while (await WaitToReadAsync().ConfigureAwait(false))
        {
            while (_channel.Reader.TryRead(out var submission))
            {
                Interlocked.Add(ref _queuedPoints, -Points(submission));
                if (_abort.IsCancellationRequested)
                {
                    Interlocked.Add(ref _dropped, Points(submission));
                    continue;
                }

                try
                {
                    await _inFlight.WaitAsync(_abort.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Add(ref _dropped, Points(submission));
                    continue;
                }

                _ = SendAsync(submission);
            }
        }

        // Every send has finished (they end at the latest when the deadline cancels them).
        for (var i = 0; i < MaxInFlight; i++)
        {
            await _inFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<bool> WaitToReadAsync()
    {
        try
        {
            return await _channel.Reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Aborted: count what is left, then stop.
            while (_channel.Reader.TryRead(out var left))
            {
                Interlocked.Add(ref _dropped, Points(left));
                Interlocked.Add(ref _queuedPoints, -Points(left));
            }

            return false;
        }
    }

    private async Task SendAsync(Submission submission)
    {
        try
        {
            await DeliverAsync(submission).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task DeliverAsync(Submission submission)
    {
        SendResult result;
        try
        {
            result = await _sink.SendAsync(submission, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            Interlocked.Add(ref _dropped, Points(submission));
            return;
        }
#pragma warning disable CA1031 // A sink must never take the daemon down (CONVENTIONS 13): whatever it throws is its failure.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SinkQueueLog.SendThrew(_logger, Name, e);
            result = SendResult.Failed(e.Message);
        }

        var now = _clock.GetUtcNow();
        bool wasFailing;
        lock (_channel)
        {
            wasFailing = _failing;
            _failing = !result.Success;
            if (result.Success)
            {
                _sent += Points(submission);
                _lastSuccess = now;
            }
            else
            {
                _failed++;
                _lastError = (result.Error ?? "failed", now);
            }
        }

        // Once when it starts failing and once when it recovers: an outage is not a line per submission.
        if (!result.Success && !wasFailing)
        {
            SinkQueueLog.SendFailed(_logger, Name, result.Error ?? "failed");
        }
        else if (result.Success && wasFailing)
        {
            SinkQueueLog.Recovered(_logger, Name);
        }
    }

    private static long Points(Submission submission) => submission.Metrics.Count + submission.ServiceChecks.Count;
}
