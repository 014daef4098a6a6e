using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// What every <see cref="InstanceLoop"/> shares: the clock, the scrape gate, the sinks and where state is kept.
/// The gate and the sinks are swapped by a reload; a loop reads them afresh at each run.
/// </summary>
internal sealed class RunContext(TimeProvider clock, ILogger logger, StateStore state, TimeSpan stateFlushInterval, SemaphoreSlim gate, SinkSet sinks)
{
    /// <summary>How long a save or load waits for a one-shot <c>check</c> holding the same state file.</summary>
    public static readonly TimeSpan StateLockWait = TimeSpan.FromSeconds(10);

    private SemaphoreSlim _gate = gate;
    private SinkSet _sinks = sinks;

    public TimeProvider Clock { get; } = clock;

    public ILogger Logger { get; } = logger;

    /// <summary>Counter state in state_dir, read and written off the thread pool.</summary>
    public StateStore State { get; } = state;

    public TimeSpan StateFlushInterval { get; } = stateFlushInterval;

    /// <summary>Bounds the scrapes running at once (<c>max_concurrent_scrapes</c>).</summary>
    public SemaphoreSlim Gate
    {
        get => Volatile.Read(ref _gate);
        set => Volatile.Write(ref _gate, value);
    }

    /// <summary>Told of every successful scrape when the daemon also receives alerts, to compare matches with alerts.</summary>
    public Alerts.AlertReconciliation? Reconciliation { get; init; }

    public SinkSet Sinks
    {
        get => Volatile.Read(ref _sinks);
        set => Volatile.Write(ref _sinks, value);
    }
}
