using System.Buffers.Binary;
using System.Text;

namespace FalcoCheck.Runtime;

/// <summary>
/// When one instance runs: every <see cref="Interval"/>, at a fixed offset inside the interval taken from a hash
/// of the endpoint and host, as Prometheus spreads its scrape targets (scrape/target.go <c>offset</c>). Instances
/// therefore never scrape in lockstep, and an instance keeps its slots across restarts and reloads. Slots are
/// absolute (counted from the Unix epoch), so a run that ends late simply takes the next free slot: runs of one
/// instance never overlap and never bunch up to catch up.
/// </summary>
internal readonly record struct RunSchedule(TimeSpan Interval, TimeSpan Offset)
{
    public static RunSchedule For(string endpoint, string host, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be positive");
        }

        // A stable hash (not string.GetHashCode, which is randomized per process) keeps the offset across restarts.
        ulong hash = BinaryPrimitives.ReadUInt64LittleEndian(ManagedSha256.HashData(Encoding.UTF8.GetBytes(endpoint + "\n" + host)));
        return new RunSchedule(interval, TimeSpan.FromTicks((long)(hash % (ulong)interval.Ticks)));
    }

    /// <summary>The first slot strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        long sinceEpoch = after.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks - Offset.Ticks;
        long slot = Math.DivRem(sinceEpoch, Interval.Ticks, out long into);
        if (into < 0)
        {
            slot--;
        }

        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + Offset.Ticks + ((slot + 1) * Interval.Ticks), TimeSpan.Zero);
    }

    /// <summary>Slots that passed between a run due at <paramref name="due"/> and the next slot after <paramref name="finished"/>: ticks skipped.</summary>
    public int SkippedBetween(DateTimeOffset due, DateTimeOffset finished)
    {
        DateTimeOffset next = NextAfter(finished);
        long slots = (next - due).Ticks / Interval.Ticks;
        return (int)Math.Clamp(slots - 1, 0, int.MaxValue);
    }
}
