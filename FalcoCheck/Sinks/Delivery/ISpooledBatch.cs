namespace FalcoCheck.Sinks.Delivery;

/// <summary>
/// How a kind of <see cref="QueuedBatch"/> is merged and kept in the <see cref="DiskSpool"/> (static members, so
/// the queue needs no registry or reflection: NativeAOT). A batch is written as one or more spool lines; the
/// delivery progress inside the batch at the spool's head is a short text the batch type writes and reads back.
/// </summary>
internal interface ISpooledBatch<TSelf> where TSelf : QueuedBatch, ISpooledBatch<TSelf>
{
    /// <summary>Spool lines read and merged into one delivery at once.</summary>
    static abstract int SpoolReadLines { get; }

    /// <summary>What is left of several batches, as one (each kind of item keeps its order).</summary>
    static abstract TSelf Merge(List<TSelf> parts);

    /// <summary>
    /// The batch as spool lines: what is left of it, from a snapshot of its cursors taken once here and kept as the
    /// base that <see cref="Progress"/> counts from.
    /// </summary>
    static abstract byte[][] ToSpool(TSelf batch);

    /// <summary>Bytes <see cref="ToSpool"/> would write now (lines and newlines), without writing: a producer's reserve step.</summary>
    static abstract long SpoolBytes(TSelf batch);

    /// <summary>The batch of one spool line; null with a reason for a line that is not one.</summary>
    static abstract TSelf? FromSpool(ReadOnlyMemory<byte> line, out string? error);

    /// <summary>Delivery progress past what the spool lines themselves hold, for <see cref="DiskSpool.SaveProgress"/>.</summary>
    static abstract string Progress(TSelf batch);

    /// <summary>Applies what <see cref="Progress"/> wrote to a batch just read and merged; anything else is ignored.</summary>
    static abstract void Resume(TSelf batch, string? progress);
}
