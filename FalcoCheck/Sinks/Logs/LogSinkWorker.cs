using FalcoCheck.Sinks.Delivery;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// Delivers one sink's queue: memory first, then the spool, in batches within the sink's limits. A retryable
/// failure is retried through Polly's retry strategy (exponential backoff with jitter, <c>Retry-After</c> honoured)
/// without limit: the queue and spool hold what arrives meanwhile, so an outage loses nothing until both are full.
/// A batch refused for good is dropped and counted. Spooled entries leave the spool only once the sink has them.
/// </summary>
internal sealed class LogSinkWorker : IAsyncDisposable
{
    private readonly ILogSink _sink;
    private readonly LogQueue _queue;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<DeliveryOutcome> _retry;
    private readonly CancellationTokenSource _stop = new();
    private List<byte[]>? _inFlight;
    private int _retriesOfBatch;
    private int _batchSize;
    private Task _loop = Task.CompletedTask;

    public LogSinkWorker(ILogSink sink, LogQueue queue, LogRetryOptions retry, ILogger logger, TimeProvider clock)
    {
        _sink = sink;
        _queue = queue;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder<DeliveryOutcome> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<DeliveryOutcome>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.Status == DeliveryStatus.Retry),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.Delay,
                MaxDelay = retry.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result.RetryAfter is { } after
                    ? (TimeSpan?)TimeSpan.FromTicks(Math.Clamp(after.Ticks, retry.Delay.Ticks, retry.MaxRetryAfter.Ticks))
                    : null),
                OnRetry = args =>
                {
                    Stats.AddRetry();
                    _retriesOfBatch++;
                    LogSinkLog.Retrying(_logger, _sink.Name, _batchSize, args.RetryDelay, args.Outcome.Result.Reason);
                    return default;
                },
            })
            .Build();
    }

    public string Name => _sink.Name;

    public LogQueue Queue => _queue;

    public LogSinkStats Stats { get; } = new();

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>
    /// Stops taking new entries, delivers what is queued for up to <paramref name="drain"/>, then stops and moves
    /// what is left in memory to the spool for the next start.
    /// </summary>
    public async Task StopAsync(TimeSpan drain)
    {
        _queue.Complete();
        await Task.WhenAny(_loop, Task.Delay(drain)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        int lost = _queue.SpoolMemory(_inFlight);
        _inFlight = null;
        if (lost > 0)
        {
            Stats.AddDropped(lost);
            LogSinkLog.LostAtStop(_logger, _sink.Name, lost);
        }

        if (!_queue.Spool.IsEmpty)
        {
            LogSinkLog.LeftInSpool(_logger, _sink.Name, _queue.Spool.Bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Dispose();
        _queue.Dispose();
        await _sink.DisposeAsync().ConfigureAwait(false);
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            List<byte[]> memory = _queue.TakeMemory(_sink.MaxBatchEntries, _sink.MaxBatchBytes);
            if (memory.Count > 0)
            {
                _inFlight = memory;
                await DeliverAsync(memory, cancellationToken).ConfigureAwait(false);
                _inFlight = null;
                continue;
            }

            if (_queue.Spool.Read(_sink.MaxBatchEntries, _sink.MaxBatchBytes) is { } spooled)
            {
                if (spooled.Skipped > 0)
                {
                    Stats.AddDropped(spooled.Skipped);
                    LogSinkLog.Dropped(_logger, _sink.Name, spooled.Skipped, "larger than one request allows, or cut short by a crash");
                }

                if (spooled.Entries.Count > 0)
                {
                    await DeliverAsync(spooled.Entries, cancellationToken).ConfigureAwait(false);
                }

                _queue.Spool.Commit(spooled);
                continue;
            }

            // Memory and spool are empty: wait for the next entry; false once the producers are done.
            if (!await _queue.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(List<byte[]> entries, CancellationToken cancellationToken)
    {
        _retriesOfBatch = 0;
        _batchSize = entries.Count;
        DeliveryOutcome result = await _retry.ExecuteAsync(
            static (state, token) => new ValueTask<DeliveryOutcome>(state.Sink.SendAsync(state.Entries, token)),
            (Sink: _sink, Entries: (IReadOnlyList<byte[]>)entries),
            cancellationToken).ConfigureAwait(false);

        // Cancelled while waiting to retry: leave the batch where it is (in flight or in the spool) for the stop.
        cancellationToken.ThrowIfCancellationRequested();
        if (result.Status == DeliveryStatus.Sent)
        {
            Stats.AddSent(entries.Count);
            if (_retriesOfBatch > 0)
            {
                LogSinkLog.Recovered(_logger, _sink.Name, _retriesOfBatch);
            }
        }
        else
        {
            Stats.AddDropped(entries.Count);
            LogSinkLog.Dropped(_logger, _sink.Name, entries.Count, result.Reason);
        }
    }
}
