using System.Threading.Channels;
using FalcoCheck.Counters;
using FalcoCheck.Mapping;
using FalcoCheck.Parsing;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Alerts;

/// <summary>
/// Falco's metrics snapshots, as the metrics a scrape gives: each snapshot's Prometheus text
/// (<see cref="MetricsSnapshotTranslator"/>) goes through a <see cref="FalcoMapper"/> and a <see cref="CounterState"/>
/// kept per Falco host, event source and input, exactly as one instance's scrapes do, and the points wait in
/// <see cref="Ready"/> for the pipeline to send them to the metrics sinks.
/// </summary>
/// <remarks>
/// Series carry the Falco host (the snapshot's hostname) as their host and, as tags, the input's base tags (agent
/// <c>tags</c>, <c>alerts.tags</c>, a <c>logs:</c> entry's tags) plus <c>falco_output:&lt;http_output|file_output|program_output&gt;</c>
/// in place of a scrape's <c>endpoint:</c>; info tags (<c>falco_version</c>, <c>kernel_release</c>, <c>engine_name</c>,
/// <c>evt_source</c>) come from the snapshot as from a scrape. Counters are sent as increases between two snapshots of
/// the same host and source; the first one only sets a baseline unless Falco started within <see cref="FirstInterval"/>.
/// With no metrics sink, snapshots are recognised, counted and dropped (never forwarded as alert logs).
/// </remarks>
internal sealed class SnapshotMetrics
{
    /// <summary>Falco hosts × sources × inputs kept; a fleet posting to one receiver stays far below.</summary>
    public const int MaxStates = 4096;

    /// <summary>A host not heard of for this long is forgotten when room is needed (nodes come and go).</summary>
    public static readonly TimeSpan StateTtl = TimeSpan.FromHours(1);

    /// <summary>The interval assumed before a second snapshot of a host shows Falco's real <c>metrics.interval</c>.</summary>
    public static readonly TimeSpan FirstInterval = TimeSpan.FromSeconds(15);

    /// <summary>Submissions waiting for the sender; past it a snapshot's points are dropped and counted.</summary>
    public const int QueueSize = 256;

    public const string InstanceName = "falco_metrics_snapshot";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly Channel<Submission> _ready = Channel.CreateBounded<Submission>(new BoundedChannelOptions(QueueSize)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly bool _enabled;
    private readonly ILogger _logger;
    private long _received;
    private long _dropped;
    private int _warned;

    /// <param name="enabled">False when no metrics sink is configured: snapshots are then only counted.</param>
    public SnapshotMetrics(bool enabled, ILogger logger)
    {
        _enabled = enabled;
        _logger = logger;
    }

    public ChannelReader<Submission> Ready => _ready.Reader;

    /// <summary>Snapshots read since the start.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Snapshots whose metrics were not sent: no metrics sink, no room in <see cref="Ready"/>, or too many hosts.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>No more snapshots: <see cref="Ready"/> ends once drained.</summary>
    public void Complete() => _ready.Writer.TryComplete();

    public void Add(IReadOnlyList<MetricsSnapshot> snapshots)
    {
        foreach (MetricsSnapshot snapshot in snapshots)
        {
            Interlocked.Increment(ref _received);
            if (!_enabled)
            {
                Interlocked.Increment(ref _dropped);
                if (Interlocked.Exchange(ref _warned, 1) == 0)
                {
                    AlertLog.SnapshotsWithoutSink(_logger, snapshot.Context.Output);
                }

                continue;
            }

            Submission? submission;
            lock (_gate)
            {
                submission = Map(snapshot);
            }

            if (submission is not null && !_ready.Writer.TryWrite(submission))
            {
                Interlocked.Increment(ref _dropped);
                AlertLog.SnapshotDropped(_logger, snapshot.Context.Output, snapshot.Where, "the metrics sinks are behind");
            }
        }
    }

    private Submission? Map(MetricsSnapshot snapshot)
    {
        AlertContext context = snapshot.Context;
        string key = string.Join('\u001f', snapshot.Hostname, snapshot.Source, context.Output, string.Join(',', context.BaseTags));
        long nowMs = snapshot.TimeNanos / 1_000_000;
        if (!_states.TryGetValue(key, out State? state))
        {
            if (_states.Count >= MaxStates)
            {
                Forget(nowMs - (long)StateTtl.TotalMilliseconds);
            }

            if (_states.Count >= MaxStates)
            {
                Interlocked.Increment(ref _dropped);
                AlertLog.SnapshotDropped(_logger, context.Output, snapshot.Where, $"more than {MaxStates} Falco hosts and sources");
                return null;
            }

            var counterState = new CounterState();
            string[] tags = [.. context.BaseTags, "falco_output:" + context.Output];
            state = new State(new FalcoMapper(new MappingOptions { InstanceTags = tags }), counterState, new FalcoSignals(counterState.FileHashes), tags);
            _states.Add(key, state);
        }

        state.Mapper.Map(snapshot.Body, TextFormat.Prometheus);
        ScrapeFacts facts = state.Mapper.Facts;
        CounterState counters = state.Counters;
        TimeSpan interval = counters.LastRunMs is { } last ? TimeSpan.FromMilliseconds(Math.Max(1000, nowMs - last)) : FirstInterval;
        counters.BeginRun(nowMs, interval, facts.StartTimestampNs, facts.ReloadTimestampNs);
        int intervalSeconds = (int)Math.Round(interval.TotalSeconds);
        List<MetricPoint> points = CountedPoints.Build(state.Mapper.Samples, facts, counters, nowMs / 1000, intervalSeconds, snapshot.Hostname, out _);
        bool restarted = counters.Restarted;
        counters.EndRun();

        // The derived signals a scrape adds (uptime, drop ratios, rules file changes), as Instance.RunOnceAsync does.
        List<FalcoEvent> events = [];
        string[] baseTags = [.. state.Tags, .. state.Mapper.Info.Tags];
        state.Signals.Derive(facts, state.Mapper.Samples, points, events,
            new DerivedContext(InstanceName, snapshot.Hostname, nowMs / 1000, intervalSeconds, baseTags, restarted));
        return points.Count == 0 && events.Count == 0 ? null : new Submission(InstanceName, points, []) { FalcoVersion = facts.FalcoVersion, Events = events };
    }

    private void Forget(long olderThanMs)
    {
        List<string>? stale = null;
        foreach ((string key, State state) in _states)
        {
            if (state.Counters.LastRunMs is { } last && last < olderThanMs)
            {
                (stale ??= []).Add(key);
            }
        }

        stale?.ForEach(key => _states.Remove(key));
    }

    private sealed record State(FalcoMapper Mapper, CounterState Counters, FalcoSignals Signals, string[] Tags);
}
