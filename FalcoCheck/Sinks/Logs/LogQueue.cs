using System.Threading.Channels;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// The queue in front of one log sink: a bounded memory queue, and the disk spool for what does not fit, so a slow
/// or unreachable backend fills the disk, not the memory, and loses nothing (issue 6, "Log sinks"). Producers
/// check <see cref="CanAccept"/> for every sink before they <see cref="Enqueue"/> to any, under one lock, so an
/// alert is queued for all sinks or refused for all.
/// </summary>
internal sealed class LogQueue : IDisposable
{
    private readonly Channel<byte[]> _memory;
    private readonly int _capacity;

    public LogQueue(int capacity, DiskSpool spool)
    {
        _capacity = capacity;
        Spool = spool;
        _memory = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public DiskSpool Spool { get; }

    public bool IsEmpty => _memory.Reader.Count == 0 && Spool.IsEmpty;

    public bool CanAccept(IReadOnlyList<byte[]> entries)
    {
        int free = Math.Max(0, _capacity - _memory.Reader.Count);
        if (entries.Count <= free)
        {
            return true;
        }

        long spill = 0;
        for (int i = free; i < entries.Count; i++)
        {
            spill += entries[i].Length + 1;
        }

        return Spool.HasRoom(spill);
    }

    /// <summary>Memory first, the rest to the spool. False when the spool refused the rest.</summary>
    public bool Enqueue(IReadOnlyList<byte[]> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if (!_memory.Writer.TryWrite(entries[i]))
            {
                return Spool.TryAppend(entries, i);
            }
        }

        return true;
    }

    /// <summary>Up to the limits from memory, without waiting; an empty list when memory is empty.</summary>
    public List<byte[]> TakeMemory(int maxEntries, long maxBytes)
    {
        var batch = new List<byte[]>();
        long bytes = 0;
        while (batch.Count < maxEntries && _memory.Reader.TryPeek(out byte[]? next)
            && (batch.Count == 0 || bytes + next.Length <= maxBytes))
        {
            _memory.Reader.TryRead(out _);
            batch.Add(next);
            bytes += next.Length;
        }

        return batch;
    }

    /// <summary>Waits until memory has an entry; false once <see cref="Complete"/> was called and memory is empty.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _memory.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>No more producers: lets a waiting reader finish.</summary>
    public void Complete() => _memory.Writer.TryComplete();

    /// <summary>At shutdown: moves what is left in memory to the spool. Returns the entries the spool refused.</summary>
    public int SpoolMemory(List<byte[]>? inFlight)
    {
        var rest = new List<byte[]>(inFlight ?? []);
        while (_memory.Reader.TryRead(out byte[]? entry))
        {
            rest.Add(entry);
        }

        return rest.Count == 0 || Spool.TryAppend(rest) ? 0 : rest.Count;
    }

    public void Dispose() => Spool.Dispose();
}
