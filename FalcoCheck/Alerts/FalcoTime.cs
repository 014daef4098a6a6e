using System.Globalization;

namespace FalcoCheck.Alerts;

/// <summary>
/// Falco's <c>time</c>: RFC 3339 with nanoseconds (<c>2023-05-25T13:44:05.478445995Z</c>). DateTimeOffset keeps
/// only 100 ns ticks, so the fraction is read here and added back as exact nanoseconds.
/// </summary>
internal static class FalcoTime
{
    private const int DateTimeLength = 19; // yyyy-MM-ddTHH:mm:ss
    private const int MaxFractionDigits = 9;

    public static bool TryParseUnixNanos(ReadOnlySpan<char> text, out long unixNanos)
    {
        unixNanos = 0;
        if (text.Length < DateTimeLength + 1 || (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
        {
            return false;
        }

        if (!DateTime.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime date)
            || !TimeSpan.TryParseExact(text[11..DateTimeLength], @"hh\:mm\:ss", CultureInfo.InvariantCulture, out TimeSpan time))
        {
            return false;
        }

        int i = DateTimeLength;
        long fractionNanos = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            int digits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                // Digits past nanoseconds are dropped, as RFC 3339 allows any precision.
                if (digits < MaxFractionDigits)
                {
                    fractionNanos = (fractionNanos * 10) + (text[i] - '0');
                    digits++;
                }

                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < MaxFractionDigits; digits++)
            {
                fractionNanos *= 10;
            }
        }

        if (!TryParseOffset(text[i..], out TimeSpan offset))
        {
            return false;
        }

        long ticks = (date + time - offset - DateTime.UnixEpoch).Ticks;
        unixNanos = (ticks * 100) + fractionNanos;
        return true;
    }

    /// <summary>Formats Unix nanoseconds as Falco does: UTC, nine fraction digits, <c>Z</c>.</summary>
    public static string Format(long unixNanos)
    {
        DateTime utc = DateTime.UnixEpoch.AddTicks(unixNanos / 100);
        long nanos = unixNanos % 1_000_000_000;
        return string.Create(CultureInfo.InvariantCulture, $"{utc:yyyy-MM-dd'T'HH:mm:ss}.{nanos:D9}Z");
    }

    private static bool TryParseOffset(ReadOnlySpan<char> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone is "Z" or "z")
        {
            return true;
        }

        if (zone.Length != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':'
            || !int.TryParse(zone[1..3], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            || !int.TryParse(zone[4..6], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            || hours > 23 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }
}
