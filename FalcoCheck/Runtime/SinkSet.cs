using FalcoCheck.Configuration;
using FalcoCheck.Sinks;
using Microsoft.Extensions.Logging;

namespace FalcoCheck.Runtime;

/// <summary>The configured sinks of the daemon, each behind its <see cref="SinkQueue"/>; every submission goes to all.</summary>
internal sealed class SinkSet
{
    /// <summary>
    /// Queue length per sink, in submissions: at least two runs of every instance, so a backend that stalls for a
    /// couple of intervals loses nothing, and never less than 256. A submission of Falco's full metrics page is
    /// about 100 points (a few KB), which bounds the memory a stalled sink can hold.
    /// </summary>
    public const int MinQueueCapacity = 256;

    private readonly List<SinkQueue> _queues;

    private SinkSet(IReadOnlyList<SinkConfig> configs, List<SinkQueue> queues)
    {
        Configs = configs;
        _queues = queues;
    }

    public IReadOnlyList<SinkConfig> Configs { get; }

    public IReadOnlyList<SinkQueue> Queues => _queues;

    public static int CapacityFor(int instances) => Math.Max(MinQueueCapacity, 2 * instances);

    /// <summary>
    /// Builds the sinks with <see cref="SinkFactory"/> (their disk spools under <paramref name="stateDir"/>); they
    /// start sending once <paramref name="startAfter"/> completes.
    /// </summary>
    public static SinkSet Create(IReadOnlyList<SinkConfig> configs, int instances, TextWriter console, ILogger logger, TimeProvider clock, Task startAfter, string? stateDir = null)
    {
        var capacity = CapacityFor(instances);
        var queues = new List<SinkQueue>(configs.Count);
        foreach (var config in configs)
        {
            queues.Add(new SinkQueue(SinkFactory.Create(config, console, clock, stateDir), capacity, logger, clock, startAfter));
        }

        return new SinkSet(configs, queues);
    }

    public void Enqueue(Submission submission)
    {
        foreach (var queue in _queues)
        {
            queue.Enqueue(submission);
        }
    }

    /// <summary>Flushes every sink in parallel, within <paramref name="deadline"/>.</summary>
    public Task DrainAsync(CancellationToken deadline) => Task.WhenAll(_queues.Select(q => q.DrainAsync(deadline)));

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

    public IReadOnlyList<SinkReport> Report() => [.. _queues.Select(q => q.Report())];
}
