using Polly;
using Polly.Retry;

namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// The queue's one retry layer and what it does with each answer: sent moves the batch on, 413 halves the request,
/// a refusal drops what the request carried (counted, logged), and a transient failure is retried here, never in
/// the HTTP client, so no failure is retried twice over.
/// </summary>
internal sealed partial class DeliveryQueue<TBatch>
{
    /// <summary>Sends the batch request by request until it is all taken, or the backend needs a pause.</summary>
    private async Task DeliverAsync(TBatch batch, CancellationToken stopping)
    {
        while (batch.Remaining > 0 && !stopping.IsCancellationRequested)
        {
            var attempt = await _retry.ExecuteAsync(
                static (state, token) => new ValueTask<SendAttempt>(state.Sender.SendAsync(state.Batch, token)),
                (Sender: _sender, Batch: batch), stopping).ConfigureAwait(false);
            var outcome = attempt.Outcome;
            if (outcome.Status != DeliveryStatus.Retry && Interlocked.Exchange(ref _retriesOfOutage, 0) is > 0 and var retries)
            {
                DeliveryLog.Recovered(_logger, Name, retries);
            }

            switch (outcome.Status)
            {
                case DeliveryStatus.Sent:
                    batch.Advance(attempt, sent: true);
                    Interlocked.Add(ref _sent, attempt.Items);
                    _lastError = null;
                    _lastSuccess = _clock.GetUtcNow();
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
                    if (stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    if (Interlocked.Increment(ref _retriesOfOutage) == 1)
                    {
                        DeliveryLog.Failing(_logger, Name, batch.Remaining, outcome.Reason);
                    }

                    // The round is over: the batch keeps its place and is sent again after the pause.
                    _lastError = outcome.Reason;
                    _lastErrorAt = _clock.GetUtcNow();
                    Interlocked.Add(ref _retried, attempt.Items);
                    var pause = outcome.RetryAfter is { } asked && asked > _options.RetryMaxBackoff
                        ? (asked < MaxRetryAfter ? asked : MaxRetryAfter)
                        : _options.RetryMaxBackoff;
                    await Task.Delay(pause, _clock, stopping).ConfigureAwait(false);
                    return;
            }
        }
    }

    /// <summary>Drops the items of a request the backend refused (at least one, so the queue always moves).</summary>
    private void Reject(TBatch batch, SendAttempt attempt, string reason)
    {
        _lastError = reason;
        _lastErrorAt = _clock.GetUtcNow();
        _lastDropReason = reason;
        batch.Error = reason;
        Interlocked.Increment(ref _rejectedRequests);
        var dropped = attempt.Items > 0 ? attempt : batch.FirstItem();
        batch.Advance(dropped, sent: false);
        Interlocked.Add(ref _dropped, dropped.Items);
        DeliveryLog.Dropped(_logger, Name, dropped.Items, reason);
        SaveProgress(batch);
    }

    /// <summary>
    /// The one retry layer: transient answers are sent again after a growing, jittered wait; a Retry-After longer
    /// than the longest backoff ends the round instead, and <see cref="DeliverAsync"/> honours it before the next.
    /// </summary>
    private ResiliencePipeline<SendAttempt> BuildRetry(DeliveryOptions options, TimeProvider clock)
    {
        if (options.MaxRetries == 0)
        {
            // Nothing to build (about 5 million instructions of a one-shot check for a retry strategy): a failed
            // send ends the round and the batch is sent again after the pause, as after the last retry.
            return ResiliencePipeline<SendAttempt>.Empty;
        }

        var builder = new ResiliencePipelineBuilder<SendAttempt> { TimeProvider = clock };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<SendAttempt>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryInitialBackoff,
                MaxDelay = options.RetryMaxBackoff,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null
                    && args.Outcome.Result.Outcome is { Status: DeliveryStatus.Retry } outcome
                    && !(outcome.RetryAfter > options.RetryMaxBackoff)),
                // Retry-After wins over the computed backoff, with the initial backoff as its floor.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result.Outcome.RetryAfter is { } wait
                    ? (TimeSpan?)(wait < options.RetryInitialBackoff ? options.RetryInitialBackoff : wait)
                    : null),
                OnRetry = args =>
                {
                    var attempt = args.Outcome.Result;
                    if (Interlocked.Increment(ref _retriesOfOutage) == 1)
                    {
                        DeliveryLog.Failing(_logger, Name, attempt.Items, attempt.Outcome.Reason);
                    }

                    _lastError = attempt.Outcome.Reason;
                    _lastErrorAt = clock.GetUtcNow();
                    Interlocked.Add(ref _retried, attempt.Items);
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
