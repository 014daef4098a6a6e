using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using FalcoCheck.Sinks.Delivery;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>
/// The configured sinks of the daemon, each a <see cref="QueuedSink"/> on the shared delivery path; every
/// submission is queued for all without waiting, so a slow or failing backend never holds up a scrape.
/// </summary>
internal sealed class SinkSet
{
    private readonly List<QueuedSink> _sinks;
    private readonly long[] _droppedReported;
    private readonly ILogger _logger;

    private SinkSet(IReadOnlyList<SinkConfig> configs, List<QueuedSink> sinks, ILogger logger)
    {
        Configs = configs;
        _sinks = sinks;
        _droppedReported = new long[sinks.Count];
        _logger = logger;
    }

    public IReadOnlyList<SinkConfig> Configs { get; }

    public IReadOnlyList<QueuedSink> Sinks => _sinks;

    /// <summary>
    /// Builds the sinks with <see cref="SinkFactory"/> (their disk spools under <paramref name="stateDir"/>); they
    /// start sending once <paramref name="startAfter"/> completes.
    /// </summary>
    public static SinkSet Create(IReadOnlyList<SinkConfig> configs, TextWriter console, ILogger logger, TimeProvider clock, Task startAfter, string? stateDir = null)
    {
        var sinks = new List<QueuedSink>(configs.Count);
        foreach (var config in configs)
        {
            sinks.Add(SinkFactory.Create(config, console, clock, stateDir, logger, startAfter));
        }

        return new SinkSet(configs, sinks, logger);
    }

    public void Enqueue(Submission submission)
    {
        foreach (var sink in _sinks)
        {
            sink.Enqueue(submission);
        }
    }

    /// <summary>Flushes every sink in parallel, within <paramref name="deadline"/>; what is left is spooled or counted as dropped.</summary>
    public Task DrainAsync(CancellationToken deadline) => Task.WhenAll(_sinks.Select(s => s.DrainAsync(deadline).AsTask()));

    /// <summary>True when <paramref name="configs"/> describes the same sinks (positions in the file aside).</summary>
    public bool IsSameAs(IReadOnlyList<SinkConfig> configs)
    {
        if (configs.Count != Configs.Count)
        {
            return false;
        }

        for (var i = 0; i < configs.Count; i++)
        {
            var position = Configs[i].Position;
            if (!Equals(configs[i] with { Position = position }, Configs[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Each sink's <c>falco.check.sink.*</c> figures: items queued, spool bytes, items dropped since the previous
    /// call (logged once per report, not per item) and in all.
    /// </summary>
    public List<(string Sink, long Queue, long SpoolBytes, long DroppedSinceLast, long DroppedTotal)> TakeTelemetry()
    {
        var points = new List<(string, long, long, long, long)>(_sinks.Count);
        for (int i = 0; i < _sinks.Count; i++)
        {
            var sink = _sinks[i];
            var counts = sink.Counts;
            long since = counts.Dropped - Interlocked.Exchange(ref _droppedReported[i], counts.Dropped);
            if (since > 0)
            {
                DeliveryLog.DroppedSinceReport(_logger, sink.Name, since, counts.LastDropReason ?? sink.Queue.LastError ?? "none");
            }

            points.Add((sink.Name, counts.Queued, counts.SpoolBytes, since, counts.Dropped));
        }

        return points;
    }

    public IReadOnlyList<SinkReport> Report() => [.. _sinks.Select(SinkReport.Of)];
}
