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
            dropped => Interlocked.Add(ref _dropped, Points(dropped)));
        _pump = Task.Run(() => PumpAsync(startAfter));
    }

    public string Name => _sink.Name;

    public int Capacity { get; }

    public int Count => _channel.Reader.Count;

    /// <summary>Never waits: a full queue drops its oldest submission.</summary>
    public void Enqueue(Submission submission)
    {
        if (!_channel.Writer.TryWrite(submission))
        {
            // Completed (shutting down): nothing more will be sent.
            Interlocked.Add(ref _dropped, Points(submission));
        }
    }

    /// <summary>Points dropped since the previous call, for <c>falco.check.sink.dropped</c> and one log line per report.</summary>
    public long TakeDropped()
    {
        long total = Interlocked.Read(ref _dropped);
        long since = total - Interlocked.Exchange(ref _droppedReported, total);
        if (since > 0)
        {
            SinkQueueLog.Dropped(_logger, Name, Capacity, since);
        }

        return since;
    }

    public SinkReport Report()
    {
        lock (_channel)
        {
            return new SinkReport
            {
                Name = Name,
                Queue = Count,
                QueueCapacity = Capacity,
                Sent = _sent,
                Dropped = Interlocked.Read(ref _dropped),
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
                if (_abort.IsCancellationRequested)
                {
                    Interlocked.Add(ref _dropped, Points(submission));
                    continue;
                }

                await SendAsync(submission).ConfigureAwait(false);
            }
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
            }

            return false;
        }
    }

    private async Task SendAsync(Submission submission)
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
        string? previousError;
        lock (_channel)
        {
            previousError = _lastError?.Message;
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

        if (!result.Success && (!_failing || previousError != result.Error))
        {
            SinkQueueLog.SendFailed(_logger, Name, result.Error ?? "failed");
        }
        else if (result.Success && _failing)
        {
            SinkQueueLog.Recovered(_logger, Name);
        }

        _failing = !result.Success;
    }

    private static long Points(Submission submission) => submission.Metrics.Count + submission.ServiceChecks.Count;
}
