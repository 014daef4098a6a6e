using FalcoCheck.Counters;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Hosting;

namespace FalcoCheck.Runtime;

/// <summary>
/// One instance in the daemon: waits for its next slot (<see cref="RunSchedule"/>), takes a place under
/// <c>max_concurrent_scrapes</c>, runs <see cref="Instance.RunOnceAsync"/> (the one-shot path, not a copy),
/// hands the submission and its <c>falco.check.*</c> points to the sinks, and keeps its counters in memory,
/// saving them to <c>state_dir</c> every <c>state_flush_interval</c> and when it stops. A run never overlaps the
/// previous one; a run that outlasts its interval skips ticks and says so. Nothing a run does escapes the loop
/// (CONVENTIONS 18).
/// </summary>
internal sealed partial class InstanceLoop : BackgroundService
{
    private readonly RunContext _context;
    private readonly CancellationTokenSource _abort = new();
    private InstanceSettings _settings;
    private InstanceSettings? _pending;
    private CancellationTokenSource _wake = new();
    private Instance? _instance;
    private CounterState? _carriedCounters;
    private bool _stateLoaded;
    private DateTimeOffset _lastSave;
    private DateTimeOffset _anchor;
    private InstanceReport _report;

    public InstanceLoop(InstanceSettings settings, RunContext context, CounterState? counters = null)
    {
        _settings = settings;
        _context = context;
        _carriedCounters = counters;
        _stateLoaded = counters is not null;
        Schedule = RunSchedule.For(settings.Endpoint, settings.Host, settings.MinCollectionInterval);
        _report = new InstanceReport
        {
            Index = settings.Index,
            Endpoint = settings.Name,
            IntervalSeconds = settings.MinCollectionInterval.TotalSeconds,
            Status = InstanceReport.Pending,
        };
    }

    public InstanceSettings Settings => Volatile.Read(ref _settings);

    public RunSchedule Schedule { get; private set; }

    public InstanceReport Report => Volatile.Read(ref _report);

    /// <summary>
    /// Takes new settings for this endpoint (a reload): applied before the next run, keeping the counters, so an
    /// edited instance neither loses an interval of counts nor reports a spike.
    /// </summary>
    public void Replace(InstanceSettings settings)
    {
        Volatile.Write(ref _pending, settings);
        try
        {
            Volatile.Read(ref _wake).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The loop swapped its wake-up source meanwhile; it sees the pending settings before it waits again.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // In-flight scrapes finish (they are bounded by their own timeout); past shutdown_timeout they are cancelled.
        using (cancellationToken.Register(_abort.Cancel))
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            if (ExecuteTask is { } running)
            {
                await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override void Dispose()
    {
        _instance?.Dispose();
        _abort.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The first slot is fixed now, before the loop's task runs, so a clock that moves right after start is seen.
        _anchor = _context.Clock.GetUtcNow();
        _lastSave = _anchor;
        SetReport(_report with { NextRun = Schedule.NextAfter(_anchor) });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the caller's thread at once: a thousand loops start without each loading its state file in turn.
        await Task.Yield();
        var clock = _context.Clock;
        var due = Schedule.NextAfter(_anchor);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await WaitUntilAsync(due, stoppingToken).ConfigureAwait(false))
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                // Woken by a reload: apply it, and take the next slot of the new schedule after the last run.
                ApplyPending();
                due = Schedule.NextAfter(_anchor);
                SetReport(_report with { NextRun = due });
                continue;
            }

            var (settings, result) = await RunAsync(stoppingToken).ConfigureAwait(false);
            var finished = clock.GetUtcNow();
            var skipped = Schedule.SkippedBetween(due, finished);
            if (skipped > 0)
            {
                InstanceLoopLog.TicksSkipped(_context.Logger, settings.Index, settings.Name, (finished - due).TotalMilliseconds, Schedule.Interval.TotalSeconds, skipped);
            }

            // Never the same slot twice, even if the clock fired a hair early.
            _anchor = finished > due ? finished : due;
            due = Schedule.NextAfter(_anchor);

            // One update with the run, the skipped ticks and the next slot: whoever sees the run sees its successor.
            var report = result is null ? _report : Record(settings, result);
            SetReport(report with { NextRun = due, SkippedTicks = report.SkippedTicks + skipped });
            if (finished - _lastSave >= _context.StateFlushInterval)
            {
                await SaveStateAsync().ConfigureAwait(false);
            }
        }

        await SaveStateAsync().ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="due"/> came; false when stopped or woken by <see cref="Replace"/>.</summary>
    private async Task<bool> WaitUntilAsync(DateTimeOffset due, CancellationToken stoppingToken)
    {
        if (Volatile.Read(ref _pending) is not null)
        {
            return false;
        }

        var clock = _context.Clock;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _wake.Token);
        var wokeEarly = false;
        while (true)
        {
            var delay = due - clock.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return true;
            }

            // The system's timers count whole milliseconds, so one can fire a fraction early: the rest is then waited for,
            // rounded up to a millisecond, rather than polled.
            var wait = DelayAsync(clock, wokeEarly ? RoundedUp(delay) : delay, linked.Token);
            if (clock.GetUtcNow() >= due)
            {
                // The clock passed the slot while the timer was set up (a test's clock, or a suspended VM): the
                // timer counts from now, so it would fire a whole delay late. Run now, and drop the timer.
                await linked.CancelAsync().ConfigureAwait(false);
                return true;
            }

            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            wokeEarly = true;
        }
    }

    /// <summary>
    /// Waits <paramref name="delay"/> on <paramref name="clock"/>'s timer (a test's fake clock fires it to the tick; the
    /// system's still counts whole milliseconds, which the caller's loop rounds up). Not Task.Delay, whose wait under a
    /// millisecond does not wait at all: the loop would run its slot before it came, and on a clock that stands still
    /// during the run (a test's), the next slot too, twice in one interval.
    /// </summary>
    private static async Task DelayAsync(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        // Asynchronous continuations: the loop never runs its scrape inside whoever fired the timer.
        var elapsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = clock.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), elapsed, delay, Timeout.InfiniteTimeSpan);
        using var stop = cancellationToken.Register(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), elapsed);
        await elapsed.Task.ConfigureAwait(false);
    }

    private static TimeSpan RoundedUp(TimeSpan delay) =>
        TimeSpan.FromTicks((delay.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);

    /// <summary>One run; the result is null when a stop came before the scrape started.</summary>
    private async Task<(InstanceSettings Settings, InstanceRunResult? Result)> RunAsync(CancellationToken stoppingToken)
    {
        ApplyPending();
        var settings = _settings;
        var (instance, setupError) = await EnsureInstanceAsync(settings).ConfigureAwait(false);
        if (instance is null)
        {
            return (settings, Submit(settings, Failure(settings, $"cannot set up the instance: {setupError}")));
        }

        var gate = _context.Gate;
        try
        {
            // Waiting for a place is not in flight yet: a stop cancels it.
            await gate.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return (settings, null);
        }

        InstanceRunResult result;
        try
        {
            result = await instance.RunOnceAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return (settings, null);
        }
#pragma warning disable CA1031 // The loop outlives any one run (CONVENTIONS 18); the failure is logged and shown in status.
        catch (Exception e)
#pragma warning restore CA1031
        {
            InstanceLoopLog.RunFailed(_context.Logger, settings.Index, settings.Name, e);
            result = Failure(settings, $"internal error: {e.Message}");
        }
        finally
        {
            gate.Release();
        }

        return (settings, Submit(settings, result));
    }

    /// <summary>Hands the run's submission and its falco.check.* points to the sinks.</summary>
    private InstanceRunResult Submit(InstanceSettings settings, InstanceRunResult result)
    {
        _context.Sinks.Enqueue(SelfTelemetry.WithRunMetrics(result, settings, result.Timestamp));
        if (result.SeriesScraped > 0)
        {
            _context.Reconciliation?.Scraped(settings.Endpoint, settings.Host, result.Submission.Metrics);
        }

        return result;
    }

    private void ApplyPending()
    {
        if (Interlocked.Exchange(ref _pending, null) is not { } next)
        {
            return;
        }

        if (!_wake.TryReset())
        {
            var used = _wake;
            Volatile.Write(ref _wake, new CancellationTokenSource());
            used.Dispose();
        }

        // The counters move to the rebuilt instance; the scraper and series cache are built afresh from the new settings.
        if (_instance is { } old)
        {
            _carriedCounters = old.Counters;
            old.Dispose();
            _instance = null;
        }

        Volatile.Write(ref _settings, next);
        Schedule = RunSchedule.For(next.Endpoint, next.Host, next.MinCollectionInterval);
        SetReport(_report with { Index = next.Index, Endpoint = next.Name, IntervalSeconds = next.MinCollectionInterval.TotalSeconds });
    }

    private void SetReport(InstanceReport report) => Volatile.Write(ref _report, report);
}
