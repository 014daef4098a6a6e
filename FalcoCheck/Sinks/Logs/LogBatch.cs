using System.Globalization;
using FalcoCheck.Sinks.Delivery;

namespace FalcoCheck.Sinks.Logs;

/// <summary>
/// Alerts waiting for one log sink: finished JSON documents (no newline inside), delivered from the front. In the
/// disk spool each entry is one line as it is, so a spool of alerts can be read with <c>cat</c>.
/// </summary>
internal sealed class LogBatch(byte[][] entries) : QueuedBatch, ISpooledBatch<LogBatch>
{
    private readonly byte[][] _entries = entries;

    private int _spoolBase;

    /// <summary>The intake's largest request (1,000 entries): one spool read fills it.</summary>
    public static int SpoolReadLines => 1000;

    public int Done { get; private set; }

    public ReadOnlyMemory<byte[]> RemainingEntries => _entries.AsMemory(Done);

    public override int Total => _entries.Length;

    public override int Remaining => _entries.Length - Done;

    /// <summary>
    /// How many entries from the front fit one request of <paramref name="maxEntries"/> and
    /// <paramref name="maxBytes"/> (and <see cref="QueuedBatch.MaxItemsPerRequest"/>); 0 when the first alone is too large.
    /// </summary>
    public int Fitting(int maxEntries, long maxBytes)
    {
        var rest = RemainingEntries.Span;
        int limit = Math.Min(Math.Min(rest.Length, maxEntries), MaxItemsPerRequest);
        long bytes = 0;
        int count = 0;
        while (count < limit && bytes + rest[count].Length <= maxBytes)
        {
            bytes += rest[count].Length;
            count++;
        }

        return count;
    }

    public static LogBatch Merge(List<LogBatch> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var all = new List<byte[]>();
        foreach (var part in parts)
        {
            all.AddRange(part.RemainingEntries.Span);
        }

        var merged = new LogBatch([.. all]);
        merged.MergedFrom(parts);
        return merged;
    }

    public override SendAttempt FirstItem() => SendAttempt.Of(DeliveryOutcome.Sent, 1);

    public static byte[][] ToSpool(LogBatch batch)
    {
        int done = batch.Done;
        batch._spoolBase = done;
        return batch._entries[done..];
    }

    public static long SpoolBytes(LogBatch batch)
    {
        long bytes = 0;
        foreach (byte[] entry in batch.RemainingEntries.Span)
        {
            bytes += entry.Length + 1;
        }

        return bytes;
    }

    public static LogBatch? FromSpool(ReadOnlyMemory<byte> line, out string? error)
    {
        error = null;
        return new LogBatch([line.ToArray()]);
    }

    public static string Progress(LogBatch batch) => (batch.Done - batch._spoolBase).ToString(CultureInfo.InvariantCulture);

    public static void Resume(LogBatch batch, string? progress)
    {
        if (int.TryParse(progress, NumberStyles.None, CultureInfo.InvariantCulture, out int done))
        {
            batch.Done = Math.Clamp(done, batch.Done, batch._entries.Length);
        }
    }

    protected override void Move(SendAttempt attempt) => Done = Math.Min(_entries.Length, Done + attempt.Items);

    protected override SendAttempt Rest() => SendAttempt.Of(DeliveryOutcome.Sent, Remaining);
}
